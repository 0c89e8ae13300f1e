package io.fhirstream.analytics.view;

import static io.fhirstream.analytics.view.Fixtures.RUNNER;
import static io.fhirstream.analytics.view.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.results.ColumnType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuiltInViewsTest {

  @Test
  void everyBuiltInViewLoadsAndIsNamedForItsFile() {
    for (String path : BuiltInViews.ALL) {
      CompiledView view = RUNNER.loadClasspath(path);
      assertThat(path).endsWith("/" + view.name() + ".json");
    }
  }

  @Test
  void patientDemographicsHasTheColumnsThePatientAggregatesNeed() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    assertThat(view.resourceType()).isEqualTo("Patient");
    assertThat(view.columns())
        .containsExactly(
            new ViewColumn("patient_id", "string", false, ColumnType.TEXT),
            new ViewColumn("gender", "code", false, ColumnType.TEXT),
            new ViewColumn("birth_date", "date", false, ColumnType.DATE),
            new ViewColumn("deceased", "boolean", false, ColumnType.BOOLEAN),
            new ViewColumn("deceased_date_time", "dateTime", false, ColumnType.DATETIME),
            new ViewColumn("last_updated", "instant", false, ColumnType.DATETIME),
            new ViewColumn("city", "string", false, ColumnType.TEXT),
            new ViewColumn("state", "string", false, ColumnType.TEXT),
            new ViewColumn("postal_code", "string", false, ColumnType.TEXT));
  }

  @Test
  void patientDemographicsOfASyntheaPatientWhoDied() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    List<ViewRow> rows = view.rows(resource("synthea-patient.json"));
    assertThat(rows).hasSize(1);
    Map<String, Object> row = rows.get(0).asMap();
    assertThat(row)
        .containsEntry("patient_id", "39234650-0229-4aee-975b-c8ee68bab40b")
        .containsEntry("gender", "male")
        .containsEntry("birth_date", "1920-04-23")
        .containsEntry("deceased", true)
        .containsEntry("deceased_date_time", "2016-12-10T02:39:21+00:00")
        .containsEntry("last_updated", null)
        .containsEntry("city", "Chicopee")
        .containsEntry("state", "Massachusetts")
        .containsEntry("postal_code", "01013");
  }

  @Test
  void patientDemographicsPrefersTheHomeAddressAndReadsDeceasedBooleanFalse() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    Map<String, Object> row = view.rows(resource("patient-home-address.json")).get(0).asMap();
    assertThat(row)
        .containsEntry("patient_id", "p-42")
        .containsEntry("birth_date", "1987-11")
        .containsEntry("deceased", false)
        .containsEntry("deceased_date_time", null)
        .containsEntry("last_updated", "2024-02-01T08:00:00Z")
        .containsEntry("city", "Madison")
        .containsEntry("state", "WI")
        .containsEntry("postal_code", "53703");
  }

  @Test
  void patientWithoutAddressStillHasItsRow() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    List<ViewRow> rows = view.rows(RUNNER.parse("{\"resourceType\":\"Patient\",\"id\":\"bare\"}"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).asMap())
        .containsEntry("patient_id", "bare")
        .containsEntry("deceased", false)
        .containsEntry("city", null);
  }

  @Test
  void observationValuesHasTheColumnsTheObservationAggregatesNeed() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.OBSERVATION_VALUES);
    assertThat(view.columns())
        .extracting(ViewColumn::name, ViewColumn::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("observation_id", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("patient_id", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("loinc_code", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("loinc_display", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("effective_date_time", ColumnType.DATETIME),
            org.assertj.core.groups.Tuple.tuple("value", ColumnType.DECIMAL),
            org.assertj.core.groups.Tuple.tuple("unit", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("unit_code", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("status", ColumnType.TEXT),
            org.assertj.core.groups.Tuple.tuple("last_updated", ColumnType.DATETIME));
  }

  @Test
  void observationValuesOfASyntheaBodyWeightJoinTheirPatient() {
    CompiledView observations = RUNNER.loadClasspath(BuiltInViews.OBSERVATION_VALUES);
    CompiledView patients = RUNNER.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    Map<String, Object> row =
        observations.rows(resource("synthea-observation-body-weight.json")).get(0).asMap();
    assertThat(row)
        .containsEntry("observation_id", "978523bf-2411-4922-94dc-ba77a2166e83")
        .containsEntry("loinc_code", "29463-7")
        .containsEntry("loinc_display", "Body Weight")
        .containsEntry("effective_date_time", "2007-12-01T02:39:21+00:00")
        .containsEntry("value", new BigDecimal("81.36432041881469"))
        .containsEntry("unit", "kg")
        .containsEntry("unit_code", "kg")
        .containsEntry("status", "final");
    Object patientKey = patients.rows(resource("synthea-patient.json")).get(0).get("patient_id");
    assertThat(row.get("patient_id")).isEqualTo(patientKey);
  }

  @Test
  void observationValuesFindTheLoincCodingAndFallBackToThePeriodStart() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.OBSERVATION_VALUES);
    Map<String, Object> row = view.rows(resource("heart-rate-observation.json")).get(0).asMap();
    assertThat(row)
        .containsEntry("observation_id", "hr-1")
        .containsEntry("patient_id", "p-42")
        .containsEntry("loinc_code", "8867-4")
        .containsEntry("effective_date_time", "2024-03-05T09:58:00+01:00")
        .containsEntry("value", new BigDecimal("72.0"))
        .containsEntry("unit", "beats/minute")
        .containsEntry("unit_code", "/min")
        .containsEntry("status", "amended")
        .containsEntry("last_updated", "2024-03-05T10:15:30.123Z");
  }

  @Test
  void observationWithoutEffectiveTimeFallsBackToIssued() {
    CompiledView view = RUNNER.loadClasspath(BuiltInViews.OBSERVATION_VALUES);
    ParsedResource obs =
        RUNNER.parse(
            """
        {"resourceType": "Observation", "id": "o", "status": "final",
         "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
         "subject": {"reference": "Group/g1"},
         "issued": "2024-01-01T00:00:00Z", "valueString": "n/a"}""");
    Map<String, Object> row = view.rows(obs).get(0).asMap();
    assertThat(row)
        .containsEntry("effective_date_time", "2024-01-01T00:00:00Z")
        .containsEntry("patient_id", null)
        .containsEntry("value", null);
  }
}

package io.fhirstream.analytics.stream;

import static io.fhirstream.analytics.stream.TopologyHarness.TOPICS;
import static io.fhirstream.analytics.stream.TopologyHarness.observation;
import static io.fhirstream.analytics.stream.TopologyHarness.patient;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.aggregate.AggregateJsonReader;
import io.fhirstream.analytics.view.BuiltInViews;
import io.fhirstream.analytics.view.ViewDefinition;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnalyticsTopologyTest {
  private static final LocalDate REFERENCE = LocalDate.parse("2025-01-01");
  private static final AnalyticsDefinitions BUILT_INS =
      AnalyticsDefinitions.load(null, true, REFERENCE);

  private TopologyHarness harness = new TopologyHarness(BUILT_INS);

  @AfterEach
  void close() {
    harness.close();
  }

  private String gender() {
    return TOPICS.aggregateTopic("patients_by_gender");
  }

  @Test
  void aPatientWhoChangesGenderAndCityMovesFromOneGroupToTheOther() {
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));
    harness.upsert(
        "Patient",
        "p2",
        patient("p2", 1, "2024-05-01T10:00:01Z", "female", "1990-02-03", "Boston"));
    assertThat(
            harness.measure("patients_by_gender", "patients_by_gender|female", "patients").asLong())
        .isEqualTo(2);

    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 2, "2024-05-02T10:00:00Z", "male", "1980-02-03", "Springfield"));

    assertThat(
            harness.measure("patients_by_gender", "patients_by_gender|female", "patients").asLong())
        .isEqualTo(1);
    assertThat(
            harness.measure("patients_by_gender", "patients_by_gender|male", "patients").asLong())
        .isEqualTo(1);
    Map<String, JsonNode> cities = harness.current(TOPICS.aggregateTopic("patients_by_city"));
    assertThat(cities.get("patients_by_city|MA|Boston").path("measures").path("patients").asLong())
        .isEqualTo(1);
    assertThat(cities.get("patients_by_city|MA|Springfield").path("group").path("city").asText())
        .isEqualTo("Springfield");
    // Ages at the reference date 2025-01-01: 44 and 34.
    Map<String, JsonNode> ages = harness.current(TOPICS.aggregateTopic("patients_by_age_band"));
    assertThat(ages).containsOnlyKeys("patients_by_age_band|35-49", "patients_by_age_band|18-34");
  }

  @Test
  void aGroupThatLosesItsLastPatientIsRemovedAndComesBackWithAHigherVersion() {
    harness.upsert(
        "Patient", "p1", patient("p1", 1, "2024-05-01T10:00:00Z", "other", "1980-02-03", "Boston"));
    TestRecord<String, byte[]> created = harness.last(gender(), "patients_by_gender|other");
    assertThat(version(created)).isEqualTo(1);

    harness.delete("Patient", "p1", "2", "2024-05-02T10:00:00Z");
    TestRecord<String, byte[]> removed = harness.last(gender(), "patients_by_gender|other");
    assertThat(removed.value()).as("a tombstone").isNull();
    assertThat(version(removed)).isEqualTo(2);
    assertThat(
            harness
                .current(TOPICS.viewTopic("patient_demographics"))
                .get("Patient/p1")
                .path("rows"))
        .isEmpty();

    harness.upsert(
        "Patient", "p1", patient("p1", 3, "2024-05-03T10:00:00Z", "other", "1980-02-03", "Boston"));
    TestRecord<String, byte[]> back = harness.last(gender(), "patients_by_gender|other");
    assertThat(TopologyHarness.json(back.value()).path("measures").path("patients").asLong())
        .isEqualTo(1);
    assertThat(version(back)).isEqualTo(3);
  }

  @Test
  void aVersionDeliveredTwiceChangesNothing() {
    String v1 = patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston");
    harness.upsert("Patient", "p1", v1);
    int results = harness.records(gender()).size();
    int rows = harness.records(TOPICS.viewTopic("patient_demographics")).size();

    harness.upsert("Patient", "p1", v1);

    assertThat(harness.records(gender())).hasSize(results);
    assertThat(harness.records(TOPICS.viewTopic("patient_demographics"))).hasSize(rows);
    assertThat(harness.observer.count("duplicate")).isEqualTo(1);
  }

  @Test
  void anOlderVersionAfterANewerOneChangesNothing() {
    harness.upsert(
        "Patient", "p1", patient("p1", 2, "2024-05-02T10:00:00Z", "male", "1980-02-03", "Boston"));
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));
    harness.delete("Patient", "p1", "1", "2024-05-01T10:00:00Z");

    assertThat(harness.current(gender())).containsOnlyKeys("patients_by_gender|male");
    assertThat(harness.observer.count("duplicate")).isEqualTo(2);
    JsonNode rows = harness.current(TOPICS.viewTopic("patient_demographics")).get("Patient/p1");
    assertThat(rows.path("versionId").asText()).isEqualTo("2");
  }

  @Test
  void aChangeThatLeavesEveryGroupAloneSendsOnlyTheViewRows() {
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));
    int results = harness.records(gender()).size();

    // Version 2 differs in the family name only, which no aggregate reads.
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 2, "2024-05-02T10:00:00Z", "female", "1980-02-03", "Boston"));

    assertThat(harness.records(gender())).hasSize(results);
    assertThat(
            harness
                .current(TOPICS.viewTopic("patient_demographics"))
                .get("Patient/p1")
                .path("versionId")
                .asText())
        .isEqualTo("2");
  }

  @Test
  void aValueChangeWithinOneGroupUpdatesTheAverageOnce() {
    harness.upsert(
        "Observation",
        "o1",
        observation("o1", 1, "2024-05-01T10:05:00Z", "p1", "8867-4", "2024-05-01T10:00:00Z", "60"));
    harness.upsert(
        "Observation",
        "o2",
        observation("o2", 1, "2024-05-01T12:05:00Z", "p1", "8867-4", "2024-05-01T12:00:00Z", "70"));
    String day = "heart_rate_daily|p1|2024-05-01T00:00:00Z";
    assertThat(harness.measure("heart_rate_daily", day, "average").decimalValue())
        .isEqualByComparingTo("65");
    int results = harness.records(TOPICS.aggregateTopic("heart_rate_daily")).size();

    harness.upsert(
        "Observation",
        "o2",
        observation(
            "o2", 2, "2024-05-01T12:06:00Z", "p1", "8867-4", "2024-05-01T12:00:00Z", "80.50"));

    assertThat(harness.records(TOPICS.aggregateTopic("heart_rate_daily"))).hasSize(results + 1);
    assertThat(harness.measure("heart_rate_daily", day, "average").decimalValue())
        .isEqualByComparingTo("70.25");
    assertThat(harness.measure("heart_rate_daily", day, "highest").asText()).isEqualTo("80.5");
    assertThat(harness.measure("heart_rate_daily", day, "readings").asLong()).isEqualTo(2);
  }

  @Test
  void anObservationMovedToAnotherHourLeavesTheOldWindowAndJoinsTheNew() {
    harness.upsert(
        "Observation",
        "o1",
        observation("o1", 1, "2024-05-01T10:05:00Z", "p1", "8867-4", "2024-05-01T10:00:00Z", "60"));
    harness.upsert(
        "Observation",
        "o1",
        observation("o1", 2, "2024-05-01T11:30:00Z", "p1", "8867-4", "2024-05-01T11:15:00Z", "60"));

    Map<String, JsonNode> hourly =
        harness.current(TOPICS.aggregateTopic("observations_per_code_hourly"));
    assertThat(hourly).containsOnlyKeys("observations_per_code_hourly|8867-4|2024-05-01T11:00:00Z");
    JsonNode window = hourly.values().iterator().next().path("window");
    assertThat(window.path("start").asText()).isEqualTo("2024-05-01T11:00:00Z");
    assertThat(window.path("end").asText()).isEqualTo("2024-05-01T12:00:00Z");
  }

  @Test
  void windowBoundariesBelongToTheWindowTheyStart() {
    harness.upsert(
        "Observation",
        "o1",
        observation(
            "o1", 1, "2024-05-01T11:00:00Z", "p1", "8867-4", "2024-05-01T10:59:59.999Z", "60"));
    harness.upsert(
        "Observation",
        "o2",
        observation("o2", 1, "2024-05-01T11:00:00Z", "p1", "8867-4", "2024-05-01T11:00:00Z", "60"));
    harness.upsert(
        "Observation",
        "o3",
        observation(
            "o3", 1, "2024-05-01T11:00:00Z", "p1", "8867-4", "2024-05-01T13:00:00+02:00", "60"));

    Map<String, JsonNode> hourly =
        harness.current(TOPICS.aggregateTopic("observations_per_code_hourly"));
    assertThat(
            hourly
                .get("observations_per_code_hourly|8867-4|2024-05-01T10:00:00Z")
                .path("measures")
                .path("observations")
                .asLong())
        .isEqualTo(1);
    assertThat(
            hourly
                .get("observations_per_code_hourly|8867-4|2024-05-01T11:00:00Z")
                .path("measures")
                .path("observations")
                .asLong())
        .isEqualTo(2);
  }

  @Test
  void hoppingWindowsCountARowInEveryWindowThatHoldsIt() {
    AnalyticsDefinitions hopping =
        AnalyticsDefinitions.of(
            List.of(ViewDefinition.fromClasspath(BuiltInViews.OBSERVATION_VALUES)),
            List.of(
                AggregateJsonReader.fromJson(
                    "{\"name\":\"two_hours\",\"view\":\"observation_values\",\"groupBy\":[\"loinc_code\"],"
                        + "\"window\":{\"column\":\"effective_date_time\",\"size\":\"PT2H\",\"advance\":\"PT1H\"},"
                        + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}",
                    "two_hours.json")),
            REFERENCE);
    harness.close();
    harness = new TopologyHarness(hopping);

    harness.upsert(
        "Observation",
        "o1",
        observation("o1", 1, "2024-05-01T10:31:00Z", "p1", "8867-4", "2024-05-01T10:30:00Z", "60"));

    assertThat(harness.current(TOPICS.aggregateTopic("two_hours")))
        .containsOnlyKeys(
            "two_hours|8867-4|2024-05-01T09:00:00Z", "two_hours|8867-4|2024-05-01T10:00:00Z");
  }

  @Test
  void aLateChangeStillCorrectsItsWindowAndIsRecordedAsLate() {
    // Written 2 h 30 min after its hour began: 30 min past the hour's end plus one hour of grace.
    harness.upsert(
        "Observation",
        "o1",
        observation("o1", 1, "2024-05-01T12:30:00Z", "p1", "8867-4", "2024-05-01T10:10:00Z", "60"));
    // On time: written within the grace period.
    harness.upsert(
        "Observation",
        "o2",
        observation("o2", 1, "2024-05-01T11:59:00Z", "p2", "8867-4", "2024-05-01T10:20:00Z", "60"));

    String hour = "observations_per_code_hourly|8867-4|2024-05-01T10:00:00Z";
    assertThat(harness.measure("observations_per_code_hourly", hour, "observations").asLong())
        .isEqualTo(2);
    List<TestRecord<String, byte[]>> late =
        harness.records(TOPICS.lateTopic("observations_per_code_hourly"));
    assertThat(late).hasSize(1);
    JsonNode record = TopologyHarness.json(late.get(0).value());
    assertThat(record.path("resource").asText()).isEqualTo("Observation/o1");
    assertThat(record.path("lateByMillis").asLong()).isEqualTo(30 * 60_000L);
    assertThat(record.path("window").path("end").asText()).isEqualTo("2024-05-01T11:00:00Z");
    assertThat(record.has("measures")).isFalse();
    assertThat(harness.observer.count("late:observations_per_code_hourly")).isEqualTo(1);
  }

  @Test
  void historyLoadedYearsLaterFillsItsOldWindowsAndIsRecordedAsVeryLate() {
    harness.upsert(
        "Observation",
        "o1",
        observation(
            "o1", 1, "2026-01-01T00:00:00Z", "p1", "29463-7", "2019-03-04T08:00:00Z", "81.2"));

    String day = "body_weight_daily|p1|2019-03-04T00:00:00Z";
    assertThat(harness.measure("body_weight_daily", day, "average").decimalValue())
        .isEqualByComparingTo("81.2");
    List<TestRecord<String, byte[]>> late = harness.records(TOPICS.lateTopic("body_weight_daily"));
    assertThat(TopologyHarness.json(late.get(0).value()).path("lateByMillis").asLong())
        .isGreaterThan(6L * 365 * 24 * 3600 * 1000);
  }

  @Test
  void anUnreadableRecordGoesToTheDeadLetterTopicAndTheNextOneIsProcessed() {
    harness.raw("Patient", "p1", "{not json".getBytes(StandardCharsets.UTF_8));
    harness.upsert(
        "Patient",
        "p2",
        patient("p2", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));

    List<TestRecord<String, byte[]>> dead = harness.records(TOPICS.deadLetterTopic());
    assertThat(dead).hasSize(1);
    assertThat(
            new String(
                dead.get(0).headers().lastHeader(Headers.DLQ_REASON).value(),
                StandardCharsets.UTF_8))
        .startsWith("analytics: not valid JSON");
    assertThat(
            new String(
                dead.get(0).headers().lastHeader(Headers.DLQ_TOPIC).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("fhir.Patient");
    assertThat(harness.current(gender())).containsOnlyKeys("patients_by_gender|female");
  }

  @Test
  void aResourceThatBreaksAViewRuleIsDeadLetteredAndItsRowsRemoved() {
    AnalyticsDefinitions families =
        AnalyticsDefinitions.of(
            List.of(
                ViewDefinition.fromJson(
                    "{\"resourceType\":\"ViewDefinition\",\"name\":\"families\",\"status\":\"active\","
                        + "\"resource\":\"Patient\",\"select\":[{\"column\":["
                        + "{\"name\":\"family\",\"path\":\"name.family\"}]}]}",
                    "families.json")),
            List.of(
                AggregateJsonReader.fromJson(
                    "{\"name\":\"by_family\",\"view\":\"families\",\"groupBy\":[\"family\"],"
                        + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}",
                    "by_family.json")),
            REFERENCE);
    harness.close();
    harness = new TopologyHarness(families);
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));
    assertThat(harness.current(TOPICS.aggregateTopic("by_family")))
        .containsOnlyKeys("by_family|F1");

    // Two names: the family column takes one value, so this version breaks the view's rule.
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 2, "2024-05-02T10:00:00Z", "female", "1980-02-03", "Boston")
            .replace(
                "\"name\":[{\"family\":\"F2\"}]",
                "\"name\":[{\"family\":\"A\"},{\"family\":\"B\"}]"));

    assertThat(harness.observer.count("deadLetter")).isEqualTo(1);
    assertThat(harness.current(TOPICS.aggregateTopic("by_family"))).isEmpty();
    assertThat(harness.current(TOPICS.viewTopic("families")).get("Patient/p1").path("rows"))
        .isEmpty();
    // Its version is kept: version 1 delivered again is older, and changes nothing.
    harness.upsert(
        "Patient",
        "p1",
        patient("p1", 1, "2024-05-01T10:00:00Z", "female", "1980-02-03", "Boston"));
    assertThat(harness.current(TOPICS.aggregateTopic("by_family"))).isEmpty();
  }

  @Test
  void aTombstoneWithoutAVersionIsDeadLettered() {
    harness.raw("Patient", "p1", null);
    assertThat(harness.records(TOPICS.deadLetterTopic())).hasSize(1);
  }

  private static long version(TestRecord<String, byte[]> record) {
    return Long.parseLong(
        new String(
            record.headers().lastHeader(Headers.RESULT_VERSION).value(), StandardCharsets.UTF_8));
  }
}

package io.fhirstream.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.view.ViewDefinitionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AggregateDefinitionTest {
  private static final LocalDate REFERENCE = LocalDate.parse("2025-01-01");

  @TempDir Path dir;

  private AnalyticsDefinitions loadAggregate(String file, String json) throws IOException {
    Files.createDirectories(dir.resolve("aggregates"));
    Files.writeString(dir.resolve("aggregates").resolve(file), json);
    return AnalyticsDefinitions.load(dir, true, REFERENCE);
  }

  @Test
  void theBuiltInsLoad() {
    AnalyticsDefinitions definitions = AnalyticsDefinitions.load(null, true, REFERENCE);
    assertThat(definitions.aggregates())
        .extracting(AggregateDefinition::name)
        .containsExactly(
            "patients_by_gender",
            "patients_by_age_band",
            "patients_by_state",
            "patients_by_city",
            "observations_per_code_hourly",
            "heart_rate_daily",
            "body_weight_daily");
  }

  @Test
  void aDefinitionFromTheDirectoryIsAddedToTheBuiltIns() throws IOException {
    AnalyticsDefinitions definitions =
        loadAggregate(
            "deceased.json",
            "{\"name\":\"patients_by_deceased\",\"view\":\"patient_demographics\","
                + "\"groupBy\":[\"deceased\"],\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}");
    assertThat(definitions.aggregates()).hasSize(8);
  }

  @Test
  void aMisspelledElementIsRejectedNamingFileAggregateAndElement() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "typo.json",
                    "{\"name\":\"typo\",\"view\":\"patient_demographics\",\"groupBy\":[\"gender\"],"
                        + "\"mesures\":[]}"))
        .isInstanceOf(AggregateDefinitionException.class)
        .hasMessage(
            "Invalid aggregate 'typo' (typo.json) at mesures: unknown element; expected one of"
                + " [columns, description, filter, groupBy, measures, name, resource, view, window]");
  }

  @Test
  void aColumnTheViewDoesNotHaveIsRejectedWithTheColumnsItHas() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "by_colour.json",
                    "{\"name\":\"by_colour\",\"view\":\"patient_demographics\",\"groupBy\":[\"colour\"],"
                        + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}"))
        .isInstanceOf(AggregateDefinitionException.class)
        .hasMessageStartingWith(
            "Invalid aggregate 'by_colour' (by_colour.json) at groupBy[0]: view"
                + " patient_demographics has no column 'colour'; it has [patient_id, gender");
  }

  @Test
  void anAverageOfTextIsRejected() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "avg.json",
                    "{\"name\":\"avg_gender\",\"view\":\"patient_demographics\","
                        + "\"measures\":[{\"name\":\"a\",\"function\":\"avg\",\"column\":\"gender\"}]}"))
        .hasMessageContaining("at measures[0].column: avg needs a number, but column 'gender'");
  }

  @Test
  void aWindowOverAColumnThatIsNoTimeIsRejected() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "w.json",
                    "{\"name\":\"w\",\"view\":\"observation_values\",\"window\":{\"column\":\"status\",\"size\":\"PT1H\"},"
                        + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}"))
        .hasMessageContaining("at window.column: a window needs a date or dateTime column");
  }

  @Test
  void aBadDurationIsRejected() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "w.json",
                    "{\"name\":\"w\",\"view\":\"observation_values\",\"window\":{\"column\":\"effective_date_time\",\"size\":\"1 hour\"},"
                        + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}"))
        .hasMessageContaining("at window.size: '1 hour' is not an ISO 8601 duration");
  }

  @Test
  void anUnknownViewIsRejected() {
    assertThatThrownBy(
            () ->
                loadAggregate(
                    "v.json",
                    "{\"name\":\"v\",\"view\":\"nope\",\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}"))
        .hasMessageContaining("Invalid aggregate 'v' (v.json) at view: no view named 'nope'");
  }

  @Test
  void anAggregateOverAResourceTypeReadsItsOwnColumnsAndTheirPathsAreChecked() throws IOException {
    AnalyticsDefinitions ok =
        loadAggregate(
            "conditions.json",
            "{\"name\":\"conditions_by_code\",\"resource\":\"Condition\","
                + "\"columns\":[{\"name\":\"code\",\"path\":\"code.coding.code.first()\"}],"
                + "\"groupBy\":[\"code\"],\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}");
    assertThat(ok.aggregates())
        .extracting(AggregateDefinition::name)
        .contains("conditions_by_code");

    assertThatThrownBy(
            () ->
                loadAggregate(
                    "conditions.json",
                    "{\"name\":\"conditions_by_code\",\"resource\":\"Condition\","
                        + "\"columns\":[{\"name\":\"code\",\"path\":\"cod.coding.code.first()\"}],"
                        + "\"groupBy\":[\"code\"],\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}"))
        .isInstanceOf(AggregateDefinitionException.class)
        .hasMessageContaining("'conditions_by_code' (conditions.json) at columns[0].path")
        .hasMessageContaining("cod");
  }

  @Test
  void aUserViewWithABuiltInNameIsRejected() throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(
        dir.resolve("views/mine.json"),
        "{\"resourceType\":\"ViewDefinition\",\"name\":\"patient_demographics\",\"status\":\"active\","
            + "\"resource\":\"Patient\",\"select\":[{\"column\":[{\"name\":\"id\",\"path\":\"id\"}]}]}");
    assertThatThrownBy(() -> AnalyticsDefinitions.load(dir, true, REFERENCE))
        .isInstanceOf(ViewDefinitionException.class)
        .hasMessageContaining("(mine.json)")
        .hasMessageContaining("same name");
  }
}

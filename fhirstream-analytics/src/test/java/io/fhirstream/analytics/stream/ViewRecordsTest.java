package io.fhirstream.analytics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.analytics.view.ViewRunner;
import io.fhirstream.api.results.ViewTable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewRecordsTest {
  private static final AnalyticsEngine ENGINE =
      AnalyticsDefinitions.load(null, true, LocalDate.parse("2025-01-01"))
          .compile(ViewRunner.forR4());

  @Test
  void rowsComeBackWithTheJavaTypesTheirColumnsCallFor() {
    String json =
        TopologyHarness.observation(
            "o1", 3, "2024-05-01T10:05:00Z", "p1", "8867-4", "2024-05-01T10:00:00Z", "72.50");
    List<ViewRow> rows =
        ENGINE
            .evaluate("Observation", json.getBytes(StandardCharsets.UTF_8), () -> {})
            .rows()
            .get("observation_values");
    ViewTable table =
        ENGINE.viewTables().stream()
            .filter(t -> t.name().equals("observation_values"))
            .findFirst()
            .orElseThrow();

    byte[] value = ViewRecords.encode("3", Instant.parse("2024-05-01T10:05:00Z"), false, rows);
    ViewRecords.Decoded decoded = ViewRecords.decode("Observation/o1", value, table);

    assertThat(decoded.version().resourceKey()).isEqualTo("Observation/o1");
    assertThat(decoded.version().versionId()).isEqualTo("3");
    assertThat(decoded.version().deleted()).isFalse();
    assertThat(decoded.rows()).hasSize(1);
    List<Object> row = decoded.rows().get(0);
    row.forEach(v -> assertThat(v == null || !(v instanceof Double)).isTrue());
    table.requireRow(row);
    assertThat(
            row.get(
                table
                    .columns()
                    .indexOf(new ViewTable.Column("value", table.columns().get(5).type()))))
        .isEqualTo(new BigDecimal("72.50"));
    assertThat(row).isEqualTo(rows.get(0).values());
  }

  @Test
  void aDeletionHasNoRows() {
    ViewTable table = ENGINE.viewTables().get(0);
    ViewRecords.Decoded decoded =
        ViewRecords.decode("Patient/p1", ViewRecords.encode("4", null, true, List.of()), table);
    assertThat(decoded.version().deleted()).isTrue();
    assertThat(decoded.version().lastUpdated()).isNull();
    assertThat(decoded.rows()).isEmpty();
  }

  @Test
  void topicNamesSayWhatEachOutputIsFor() {
    TopicNames topics = new TopicNames("fhir.", "dlq", "an.");
    assertThat(topics.viewOf(topics.viewTopic("v"))).isEqualTo("v");
    assertThat(topics.aggregateOf(topics.aggregateTopic("a"))).isEqualTo("a");
    assertThat(topics.aggregateOf(topics.lateTopic("a"))).isNull();
    assertThat(topics.resourceType("fhir.Patient")).isEqualTo("Patient");
  }
}

package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.metrics.Meters;
import io.fhirstream.ops.MeterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed metrics reference is the generated one, and names every meter the docs use. */
class MetricsReferenceTest {

  @Test
  void committedReferenceMatchesTheDeclarations() throws IOException {
    assertThat(Files.readString(Path.of("..", "docs", "METRICS.md")))
        .as(
            "docs/METRICS.md is stale: run ./fhirstream metrics-reference --output"
                + " docs/METRICS.md")
        .isEqualTo(Meters.reference());
  }

  @Test
  void theMetersTheDashboardAndTheDocsReadAreDeclared() {
    for (String name :
        List.of(
            MeterNames.SOURCE_PUBLISHED,
            MeterNames.SINK_WRITTEN,
            MeterNames.SINK_DEAD_LETTERS,
            MeterNames.SINK_LATENCY,
            MeterNames.SINK_LAG,
            "fhirstream.source.exported",
            "fhirstream.source.first-load.done",
            "fhirstream.source.first-load.expected")) {
      assertThat(Meters.find(name)).as(name).isPresent();
    }
    assertThat(Meters.reference())
        .contains("`fhirstream_sink_written_total`")
        .contains("`fhirstream_source_exported_total`")
        .contains("`fhirstream_source_cursor_age_seconds`");
  }
}

package io.fhirstream.source.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportStateTest {
  private static final URI STATUS = URI.create("https://fhir.example.org/fhir/$export-status/1");
  private static final Instant FIRST = Instant.parse("2024-05-01T10:00:00.123Z");
  private static final Instant SECOND = Instant.parse("2024-05-02T10:00:00Z");

  @Test
  void roundTripsThroughItsStoredForm() {
    ExportState state =
        ExportState.start(List.of("Patient", "Observation"))
            .accepted(STATUS)
            .complete(FIRST)
            .at(3, 1500);

    assertThat(ExportState.parse(state.toJson())).isEqualTo(state);
  }

  @Test
  void aReplacedJobKeepsTheFirstJobsTimeAsTheHandOver() {
    ExportState state =
        ExportState.start(List.of("Patient")).accepted(STATUS).complete(FIRST).at(2, 10);

    ExportState replaced = state.expired().accepted(STATUS).complete(SECOND);

    assertThat(replaced.handOver()).isEqualTo(FIRST);
    assertThat(replaced.transactionTime()).isEqualTo(SECOND);
    assertThat(replaced.file()).isZero();
    assertThat(replaced.line()).isZero();
  }

  @Test
  void anUnreadableStateIsNull() {
    assertThat(ExportState.parse("not json")).isNull();
  }
}

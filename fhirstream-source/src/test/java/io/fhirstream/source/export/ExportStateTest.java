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
            .fileDone(0)
            .fileDone(2)
            .at(1, 1500)
            .at(3, 20);

    assertThat(ExportState.parse(state.toJson())).isEqualTo(state);
  }

  @Test
  void aFileDoneForgetsItsLineCount() {
    ExportState state = ExportState.start(List.of("Patient")).at(1, 1500).fileDone(1);

    assertThat(state.done()).containsExactly(1);
    assertThat(state.line(1)).isZero();
  }

  @Test
  void progressStoredOneFileAtATimeReadsAsTheSameProgress() {
    ExportState old =
        ExportState.parse(
            "{\"types\":[\"Patient\"],\"statusUrl\":\""
                + STATUS
                + "\",\"handOver\":\""
                + FIRST
                + "\",\"transactionTime\":\""
                + FIRST
                + "\",\"file\":2,\"line\":300}");

    assertThat(old.done()).containsExactlyInAnyOrder(0, 1);
    assertThat(old.line(2)).isEqualTo(300);
    assertThat(old.statusUrl()).isEqualTo(STATUS);
  }

  @Test
  void aReplacedJobKeepsTheFirstJobsTimeAsTheHandOver() {
    ExportState state =
        ExportState.start(List.of("Patient")).accepted(STATUS).complete(FIRST).at(2, 10);

    ExportState replaced = state.expired().accepted(STATUS).complete(SECOND);

    assertThat(replaced.handOver()).isEqualTo(FIRST);
    assertThat(replaced.transactionTime()).isEqualTo(SECOND);
    assertThat(replaced.done()).isEmpty();
    assertThat(replaced.lines()).isEmpty();
  }

  @Test
  void anUnreadableStateIsNull() {
    assertThat(ExportState.parse("not json")).isNull();
  }
}

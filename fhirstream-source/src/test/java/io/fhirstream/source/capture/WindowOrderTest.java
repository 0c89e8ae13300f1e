package io.fhirstream.source.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowOrderTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private static ChangeEvent patient(String id, String version, long seconds) {
    return ChangeEvent.upsert(
        "Patient", id, version, T0.plusSeconds(seconds), "{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void newestFirstPagesBecomeOldestFirstWithoutRepeats() {
    List<ChangeEvent> asServed =
        List.of(
            patient("a", "3", 3),
            patient("b", "1", 2),
            patient("a", "2", 1),
            // a page shifted by a concurrent write repeats an entry
            patient("b", "1", 2),
            patient("a", "1", 0));

    List<ChangeEvent> ordered = WindowOrder.distinctOldestFirst(asServed);

    assertThat(ordered)
        .extracting(e -> e.id() + "/" + e.versionId())
        .containsExactly("a/1", "a/2", "b/1", "a/3");
  }

  @Test
  void windowEndsSafetyLagBeforeTheEarlierOfServerAndLocalClock() {
    Instant server = T0.plusSeconds(100);
    Instant local = T0.plusSeconds(105);
    assertThat(WindowOrder.end(T0, server, local, Duration.ofSeconds(2)))
        .isEqualTo(T0.plusSeconds(98));
    assertThat(WindowOrder.end(T0, null, local, Duration.ofSeconds(2)))
        .isEqualTo(T0.plusSeconds(103));
  }

  @Test
  void windowNeverEndsBeforeTheCursor() {
    assertThat(WindowOrder.end(T0, T0.minusSeconds(10), T0, Duration.ofSeconds(1))).isEqualTo(T0);
  }
}

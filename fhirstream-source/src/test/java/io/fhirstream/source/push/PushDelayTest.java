package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PushDelayTest {

  @Test
  void aServerThatNotifiesLaterThanPollingWouldDeliverIsToldToPoll() {
    long[] hapiJpa = {4_600, 4_400, 5_100, 4_700, 4_500};

    PushDelay.Verdict verdict = PushDelay.verdict(hapiJpa, Duration.ofMillis(550));

    assertThat(verdict.pollingFaster()).isTrue();
    assertThat(verdict.text())
        .contains("4,600 ms after the server's write")
        .contains("max 5,100 ms")
        .contains("polling would take about 550 ms")
        .contains("source.push.enabled=false");
  }

  @Test
  void aServerThatNotifiesSoonerKeepsPush() {
    PushDelay.Verdict verdict = PushDelay.verdict(new long[] {40, 90, 60}, Duration.ofMillis(550));

    assertThat(verdict.pollingFaster()).isFalse();
    assertThat(verdict.text()).contains("push is faster");
  }

  @Test
  void eachNotificationIsTimedFromTheServersWrite() {
    Instant now = Instant.parse("2026-12-06T10:00:05Z");
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    PushDelay delay =
        new PushDelay(Duration.ofMillis(500), Clock.fixed(now, ZoneOffset.UTC), metrics);

    delay.arrived(now.minusMillis(4_000));
    delay.arrived(null); // no lastUpdated: nothing to time

    var timer = metrics.get("fhirstream.source.push.delay").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(4_000);
  }
}

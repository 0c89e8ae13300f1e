package io.fhirstream.source.push;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How late the FHIR server's notifications arrive: from a resource's {@code meta.lastUpdated} (when
 * the server wrote it) to its notification reaching the endpoint. Servers differ widely — HAPI
 * FHIR's JPA server matches and delivers from a queue it works through every few seconds — so after
 * the first {@value #SAMPLE} notifications this says once, in the log, whether push or polling gets
 * changes here sooner: polling takes about half its interval plus one round trip to the server,
 * measured when the endpoint starts.
 *
 * <p>Assumes this host's clock agrees with the server's (NTP); the log says so. Also a timer,
 * {@code fhirstream.source.push.delay}, for the operator view. Thread-safe.
 */
final class PushDelay {
  private static final Logger LOG = LoggerFactory.getLogger(PushDelay.class);

  /** Notifications measured before the verdict. */
  static final int SAMPLE = 20;

  private final Duration pollingDelay;
  private final Clock clock;
  private final Timer timer;
  private final long[] millis = new long[SAMPLE]; // guarded by this
  private int count; // guarded by this

  /**
   * @param pollingDelay what polling would take for a change here: half the poll interval plus one
   *     round trip; null when unknown (no verdict then, the timer still runs)
   */
  PushDelay(Duration pollingDelay, Clock clock, MeterRegistry metrics) {
    this.pollingDelay = pollingDelay;
    this.clock = clock;
    this.timer =
        Timer.builder("fhirstream.source.push.delay")
            .description("From the server's write (meta.lastUpdated) to its notification arriving")
            .register(metrics);
  }

  /** A notification of a version the server wrote at {@code lastUpdated} arrived now. */
  void arrived(Instant lastUpdated) {
    if (lastUpdated == null) {
      return;
    }
    Duration delay = Duration.between(lastUpdated, clock.instant());
    timer.record(delay.isNegative() ? Duration.ZERO : delay);
    long[] sample;
    synchronized (this) {
      if (count >= SAMPLE) {
        return;
      }
      millis[count++] = delay.toMillis();
      if (count < SAMPLE) {
        return;
      }
      sample = millis.clone();
    }
    verdict(sample);
  }

  private void verdict(long[] sample) {
    Verdict verdict = verdict(sample, pollingDelay);
    if (verdict.pollingFaster()) {
      LOG.warn("push: {}", verdict.text());
    } else {
      LOG.info("push: {}", verdict.text());
    }
  }

  /** What the sample says, and whether polling would be faster. */
  record Verdict(boolean pollingFaster, String text) {}

  /** Pure: the median delay of the sample against polling's (null: unknown). */
  static Verdict verdict(long[] sampleMillis, Duration pollingDelay) {
    long[] sorted = sampleMillis.clone();
    Arrays.sort(sorted);
    long median = sorted[sorted.length / 2];
    long max = sorted[sorted.length - 1];
    String figures =
        String.format(
            "notifications arrive %,d ms after the server's write (median of %d, max %,d ms;"
                + " assuming this host's clock agrees with the server's)",
            median, sorted.length, max);
    if (pollingDelay == null) {
      return new Verdict(false, figures);
    }
    figures += String.format(", polling would take about %,d ms", pollingDelay.toMillis());
    return median > pollingDelay.toMillis()
        ? new Verdict(
            true,
            figures
                + ": polling is faster for this server; set source.push.enabled=false (and"
                + " source.poll-interval as needed)")
        : new Verdict(false, figures + ": push is faster for this server");
  }
}

package io.fhirstream.ops.internal;

import io.fhirstream.ops.MeterNames;
import io.fhirstream.ops.internal.DashboardModel.Settings;
import io.fhirstream.ops.internal.DashboardSnapshot.Latency;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Latency percentiles over recent windows, from the sink latency timer's histogram as sampled into
 * the history; when the timer keeps no histogram, its own client-side percentiles if it publishes
 * them.
 */
final class LatencyWindows {
  private final MeterHistory history;
  private final Collection<Timer> timers;
  private final Settings settings;

  LatencyWindows(MeterHistory history, MeterRegistry registry, Settings settings) {
    this.history = history;
    this.timers = registry.find(MeterNames.SINK_LATENCY).timers();
    this.settings = settings;
  }

  /** True when there is a latency timer but no histogram to compute percentiles from. */
  boolean missingHistogram() {
    MeterSample newest = history.newest();
    return !timers.isEmpty() && !newest.latency().hasBuckets() && timerPercentiles() == null;
  }

  /** The histogram of what was recorded in the window before that sample; null when unknown. */
  LatencyHistogram before(MeterSample end, Duration window) {
    if (end == null || !end.latency().hasBuckets()) {
      return null;
    }
    MeterSample start = history.at(end.nanos() - window.toNanos());
    return start == null ? null : end.latency().since(start.latency());
  }

  /** The latency tile: percentiles over the last {@code latencyWindow}. */
  Latency current() {
    int seconds = (int) settings.latencyWindow().toSeconds();
    MeterSample newest = history.newest();
    if (newest.latency().hasBuckets()) {
      MeterSample start = history.windowStart(settings.latencyWindow());
      LatencyHistogram window = newest.latency().since(start.latency());
      if (window != null) {
        return new Latency(
            seconds,
            Math.round(window.count()),
            window.quantile(0.50),
            window.quantile(0.95),
            window.quantile(0.99),
            "histogram");
      }
    }
    Double[] own = timerPercentiles();
    if (own != null) {
      long count = timers.iterator().next().takeSnapshot().count();
      return new Latency(seconds, count, own[0], own[1], own[2], "percentiles");
    }
    return new Latency(seconds, 0, null, null, null, "none");
  }

  /**
   * The timer's own p50/p95/p99 (Micrometer decays them over its own window), when there is one
   * timer publishing all three; percentiles of several timers cannot be combined.
   */
  private Double[] timerPercentiles() {
    if (timers.size() != 1) {
      return null;
    }
    Double[] values = new Double[3];
    double[] wanted = {0.50, 0.95, 0.99};
    for (ValueAtPercentile p : timers.iterator().next().takeSnapshot().percentileValues()) {
      for (int i = 0; i < wanted.length; i++) {
        if (Math.abs(p.percentile() - wanted[i]) < 1e-9) {
          values[i] = p.value(TimeUnit.MILLISECONDS);
        }
      }
    }
    for (Double value : values) {
      if (value == null) {
        return null;
      }
    }
    return values;
  }
}

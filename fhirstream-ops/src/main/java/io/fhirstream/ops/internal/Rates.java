package io.fhirstream.ops.internal;

import io.fhirstream.ops.internal.DashboardModel.Settings;
import io.fhirstream.ops.internal.DashboardSnapshot.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Rates and chart series from the sample history: differences over measured intervals. */
final class Rates {
  private static final double NANOS_PER_SECOND = 1e9;

  private Rates() {}

  /** Changes per second over the window before the newest sample; nulls until two samples. */
  static DashboardSnapshot.Rates current(MeterHistory history, java.time.Duration window) {
    MeterSample end = history.newest();
    MeterSample start = history.windowStart(window);
    return new DashboardSnapshot.Rates(
        (int) window.toSeconds(),
        rate(start, end, MeterSample::published),
        rate(start, end, MeterSample::written));
  }

  /** The charts' points, oldest first, one per step over the history's span. */
  static Series series(MeterHistory history, Settings settings, LatencyWindows latency) {
    int count = (int) (settings.history().toSeconds() / settings.step().toSeconds());
    List<MeterSample> points = history.points(settings.step(), count);
    long newestWall = history.newest().wallMillis();
    long stepMillis = settings.step().toMillis();
    List<Long> times = new ArrayList<>(count);
    List<Double> published = new ArrayList<>(count);
    List<Double> written = new ArrayList<>(count);
    List<Double> lag = new ArrayList<>(count);
    List<Double> p50 = new ArrayList<>(count);
    List<Double> p95 = new ArrayList<>(count);
    List<Double> p99 = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      MeterSample start = points.get(i - 1);
      MeterSample end = points.get(i);
      times.add(newestWall - (count - i) * stepMillis);
      published.add(rate(start, end, MeterSample::published));
      written.add(rate(start, end, MeterSample::written));
      lag.add(end == null ? null : end.lag());
      LatencyHistogram window = latency.before(end, settings.seriesLatencyWindow());
      p50.add(window == null ? null : window.quantile(0.50));
      p95.add(window == null ? null : window.quantile(0.95));
      p99.add(window == null ? null : window.quantile(0.99));
    }
    return new Series(
        (int) settings.step().toSeconds(),
        (int) settings.seriesLatencyWindow().toSeconds(),
        times,
        published,
        written,
        lag,
        p50,
        p95,
        p99);
  }

  /**
   * Per second between two samples; null when either is missing or no time passed. A counter that
   * went down was reset (its registry replaced): nothing is known about that interval, so 0.
   */
  static Double rate(MeterSample start, MeterSample end, ToDoubleFunction<MeterSample> value) {
    if (start == null || end == null || end.nanos() <= start.nanos()) {
      return null;
    }
    double delta = value.applyAsDouble(end) - value.applyAsDouble(start);
    return Math.max(0, delta) * NANOS_PER_SECOND / (end.nanos() - start.nanos());
  }
}

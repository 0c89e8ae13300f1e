package io.fhirstream.ops.internal;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A timer's cumulative histogram at one moment: upper bounds in milliseconds and, for each, the
 * number of recordings at or below it (Prometheus' {@code le} buckets), plus the total count.
 *
 * <p>Prometheus keeps its histograms from start-up on, never rotating them, so the difference of
 * two readings is the histogram of what was recorded in between: that is how the dashboard gets
 * percentiles over a recent window rather than since start-up.
 */
public record LatencyHistogram(double[] boundsMs, double[] cumulative, double count) {

  public static final LatencyHistogram EMPTY =
      new LatencyHistogram(new double[0], new double[0], 0);

  /** Sums the histograms of every timer given (one per tag set), bucket by bucket. */
  public static LatencyHistogram of(Collection<Timer> timers) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    for (Timer timer : timers) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      count += snapshot.count();
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        buckets.merge(bucket.bucket(TimeUnit.MILLISECONDS), bucket.count(), Double::sum);
      }
    }
    double[] bounds = buckets.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    double[] counts = buckets.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new LatencyHistogram(bounds, counts, count);
  }

  public boolean hasBuckets() {
    return boundsMs.length > 0;
  }

  /**
   * What was recorded since {@code earlier}, or null when the two cannot be subtracted (different
   * buckets, or counts that went down: a registry that rotates its histograms).
   */
  public LatencyHistogram since(LatencyHistogram earlier) {
    if (!earlier.hasBuckets() && earlier.count == 0) {
      return this;
    }
    if (!Arrays.equals(boundsMs, earlier.boundsMs) || count < earlier.count) {
      return null;
    }
    double[] diff = new double[cumulative.length];
    for (int i = 0; i < diff.length; i++) {
      diff[i] = cumulative[i] - earlier.cumulative[i];
      if (diff[i] < 0) {
        return null;
      }
    }
    return new LatencyHistogram(boundsMs, diff, count - earlier.count);
  }

  /**
   * The value below which the fraction {@code q} of recordings fall, interpolated linearly within
   * its bucket (as Prometheus' {@code histogram_quantile} does); null when nothing was recorded.
   * Beyond the last bucket, the last bound is the best that can be said.
   */
  public Double quantile(double q) {
    if (count <= 0 || !hasBuckets()) {
      return null;
    }
    double rank = q * count;
    double lowerBound = 0;
    double lowerCount = 0;
    for (int i = 0; i < boundsMs.length; i++) {
      if (cumulative[i] >= rank) {
        double inBucket = cumulative[i] - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return lowerBound + (boundsMs[i] - lowerBound) * fraction;
      }
      lowerBound = boundsMs[i];
      lowerCount = cumulative[i];
    }
    return boundsMs[boundsMs.length - 1];
  }

  // Records compare arrays by identity; these say what the values mean.
  @Override
  public boolean equals(Object other) {
    return other instanceof LatencyHistogram h
        && Arrays.equals(boundsMs, h.boundsMs)
        && Arrays.equals(cumulative, h.cumulative)
        && count == h.count;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(boundsMs) + Arrays.hashCode(cumulative);
  }

  @Override
  public String toString() {
    return "LatencyHistogram[" + boundsMs.length + " buckets, count=" + count + "]";
  }
}

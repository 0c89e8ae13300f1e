package io.fhirstream.ops.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent {@link MeterSample}s, oldest first, kept for the charts' span: rates and windowed
 * percentiles are differences between two of them.
 */
final class MeterHistory {
  /** A sample this close after a wanted time still counts: the sampler's ticks jitter. */
  private static final long TOLERANCE_NANOS = Duration.ofMillis(500).toNanos();

  private final long keepNanos;
  private final List<MeterSample> samples = new ArrayList<>();

  MeterHistory(Duration keep) {
    this.keepNanos = keep.toNanos();
  }

  void add(MeterSample sample) {
    samples.add(sample);
    long oldest = sample.nanos() - keepNanos - TOLERANCE_NANOS;
    while (samples.get(0).nanos() < oldest) {
      samples.remove(0);
    }
  }

  boolean isEmpty() {
    return samples.isEmpty();
  }

  MeterSample newest() {
    return samples.isEmpty() ? null : samples.get(samples.size() - 1);
  }

  /** The latest sample taken at or (within the tolerance) before that time; null if none. */
  MeterSample at(long nanos) {
    MeterSample found = null;
    for (MeterSample sample : samples) {
      if (sample.nanos() > nanos + TOLERANCE_NANOS) {
        break;
      }
      found = sample;
    }
    return found;
  }

  /**
   * {@code count + 1} samples, {@code step} apart, ending at the newest; an element is null where
   * the history does not reach back that far.
   */
  List<MeterSample> points(Duration step, int count) {
    List<MeterSample> points = new ArrayList<>(count + 1);
    MeterSample newest = newest();
    for (int k = count; k >= 0; k--) {
      points.add(newest == null ? null : at(newest.nanos() - k * step.toNanos()));
    }
    return points;
  }

  /** The sample a window before the newest, or the oldest when the history is shorter. */
  MeterSample windowStart(Duration window) {
    MeterSample newest = newest();
    if (newest == null) {
      return null;
    }
    MeterSample start = at(newest.nanos() - window.toNanos());
    return start != null ? start : samples.get(0);
  }
}

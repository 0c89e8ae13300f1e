package io.fhirstream.ops.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Reads meters by name, summed over their tags, the way a Prometheus query would ({@code
 * sum(fhirstream_sink_written_total)}, {@code sum by (topic) (fhirstream_sink_lag)}).
 */
final class MeterReader {
  private final MeterRegistry registry;

  MeterReader(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The sum of every counter, or gauge, of that name; 0 when there is none. */
  double total(String name) {
    double[] sum = {0};
    each(name, (meter, value) -> sum[0] += value);
    return sum[0];
  }

  /**
   * Sums by one tag's value; meters without the tag are summed under {@code missing}, or left out
   * when it is null.
   */
  Map<String, Double> byTag(String name, String tag, String missing) {
    Map<String, Double> sums = new TreeMap<>();
    each(
        name,
        (meter, value) -> {
          String key = meter.getId().getTag(tag);
          if (key == null) {
            key = missing;
          }
          if (key != null) {
            sums.merge(key, value, Double::sum);
          }
        });
    return sums;
  }

  /** How many meters of that name carry each value of the tag, e.g. partitions per topic. */
  Map<String, Integer> countByTag(String name, String tag, String missing) {
    Map<String, Integer> counts = new TreeMap<>();
    each(
        name,
        (meter, value) -> {
          String key = meter.getId().getTag(tag);
          counts.merge(key == null ? missing : key, 1, Integer::sum);
        });
    return counts;
  }

  private void each(String name, BiConsumer<Meter, Double> action) {
    for (Meter meter : registry.find(name).meters()) {
      double value = valueOf(meter);
      // A gauge whose object was collected reads NaN: it has no value, not an infinite one.
      if (Double.isFinite(value)) {
        action.accept(meter, value);
      }
    }
  }

  private static double valueOf(Meter meter) {
    if (meter instanceof Counter counter) {
      return counter.count();
    }
    if (meter instanceof FunctionCounter counter) {
      return counter.count();
    }
    if (meter instanceof TimeGauge gauge) {
      return gauge.value(TimeUnit.MILLISECONDS);
    }
    if (meter instanceof Gauge gauge) {
      return gauge.value();
    }
    return Double.NaN;
  }
}

package io.fhirstream.kafka.sink;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's meters ({@link Meters}): events written per type, the latency from a record's arrival
 * in Kafka to its commit, the consumer lag of each assigned partition, and retries. Used on the
 * sink's thread only, except the lag gauges, which the registry reads from its own.
 */
final class SinkMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> written = new HashMap<>();
  private final Timer latency;
  private final Map<TopicPartition, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Gauge> lagGauges = new HashMap<>();
  private final Map<String, Counter> retries = new HashMap<>();

  SinkMeters(MeterRegistry registry) {
    this.registry = registry;
    // The operator endpoint registers this timer first, with the same histogram
    // (MeterNames.sinkLatency()); this builder keeps it when the sink runs without one.
    this.latency =
        Timer.builder(Meters.SINK_LATENCY)
            .description("Time from an event's arrival in Kafka to its write in the store")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
  }

  /** Counts a committed batch per type, and its latency from each record's arrival. */
  void committed(List<ChangeEvent> batch, long[] arrivalMillis, long nowMillis) {
    for (ChangeEvent event : batch) {
      written
          .computeIfAbsent(
              event.resourceType(),
              type ->
                  Counter.builder(Meters.SINK_WRITTEN)
                      .description("Events written to the store and committed")
                      .tag(Meters.TYPE, type)
                      .register(registry))
          .increment();
    }
    for (long arrival : arrivalMillis) {
      if (arrival > 0) {
        latency.record(Math.max(0, nowMillis - arrival), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** A retry of the sink's batch, by cause ({@code store} or {@code hub}). */
  void retried(String cause) {
    retries
        .computeIfAbsent(
            cause,
            c ->
                Counter.builder(Meters.RETRIES)
                    .description("Retries after a transient failure")
                    .tag(Meters.STAGE, "sink")
                    .tag(Meters.CAUSE, c)
                    .register(registry))
        .increment();
  }

  /**
   * The lag of the partitions whose lag is known; gauges of partitions no longer assigned are
   * removed, so a partition shows on the instance that reads it.
   */
  void lag(Set<TopicPartition> assigned, Map<TopicPartition, Long> current) {
    for (var entry : current.entrySet()) {
      TopicPartition partition = entry.getKey();
      lag.computeIfAbsent(
              partition,
              p -> {
                AtomicLong value = new AtomicLong();
                lagGauges.put(
                    p,
                    Gauge.builder(Meters.SINK_LAG, value, AtomicLong::get)
                        .description("Records not yet consumed by the sink")
                        .tag(Meters.TOPIC, p.topic())
                        .tag(Meters.PARTITION, Integer.toString(p.partition()))
                        .register(registry));
                return value;
              })
          .set(entry.getValue());
    }
    Set<TopicPartition> gone = new java.util.HashSet<>(lag.keySet());
    gone.removeAll(assigned);
    for (TopicPartition partition : gone) {
      lag.remove(partition);
      Gauge gauge = lagGauges.remove(partition);
      if (gauge != null) {
        registry.remove(gauge);
      }
    }
  }

  /** Removes the lag gauges when the sink stops: it reads no partition any more. */
  void close() {
    lag(Set.of(), Map.of());
  }
}

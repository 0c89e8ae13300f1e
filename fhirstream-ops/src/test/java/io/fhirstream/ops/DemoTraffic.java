package io.fhirstream.ops;

import io.fhirstream.ops.DashboardSource.Aggregate;
import io.fhirstream.ops.DashboardSource.DeadLetter;
import io.fhirstream.ops.DashboardSource.FirstLoad;
import io.fhirstream.ops.DashboardSource.Group;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline's meters and dashboard source, moved by hand or by {@link #run(double)}: captures at a
 * varying rate with a burst the sink (capped at 200/s) falls behind on, so lag builds and drains
 * and latency rises with it. Everything it reports is synthetic and PHI-free.
 */
final class DemoTraffic implements DashboardSource {
  static final List<String> TYPES = List.of("Patient", "Observation", "Encounter", "Condition");
  private static final double[] SHARE = {0.15, 0.55, 0.2, 0.1};
  private static final double SINK_CAPACITY = 200;

  private final MeterRegistry registry;
  private final Timer latency;
  private final Map<String, Long> storeBase = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lag = new LinkedHashMap<>();
  private final List<DeadLetter> deadLetters = Collections.synchronizedList(new ArrayList<>());
  private final Random random = new Random(42);
  private final long[] backlog = new long[TYPES.size()];
  private final double[] captureCarry = new double[TYPES.size()];
  private final double[] sinkCarry = new double[TYPES.size()];
  private double lastSeconds = -1;

  DemoTraffic(MeterRegistry registry) {
    this.registry = registry;
    this.latency = MeterNames.sinkLatency().register(registry);
    for (String type : TYPES) {
      AtomicLong topicLag = new AtomicLong();
      lag.put(type, topicLag);
      for (int partition = 0; partition < 2; partition++) {
        int share = partition;
        Gauge.builder(
                MeterNames.SINK_LAG, topicLag, l -> share == 0 ? (l.get() + 1) / 2 : l.get() / 2)
            .tags(MeterNames.TOPIC, "fhir." + type, MeterNames.PARTITION, String.valueOf(partition))
            .register(registry);
      }
      storeBase.put(type, 0L);
    }
    storeBase.put("Patient", 12_480L);
  }

  Counter published(String type) {
    return registry.counter(MeterNames.SOURCE_PUBLISHED, MeterNames.TYPE, type);
  }

  Counter written(String type) {
    return registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, type);
  }

  void deadLetter(String topic, String reason, Instant at) {
    registry.counter(MeterNames.SINK_DEAD_LETTERS, MeterNames.REASON, reason).increment();
    deadLetters.add(0, new DeadLetter(at, topic, reason));
  }

  /** Advances the simulated pipeline to {@code seconds} on the test's clock. */
  synchronized void run(double seconds) {
    if (lastSeconds < 0) {
      lastSeconds = seconds;
      return;
    }
    double dt = seconds - lastSeconds;
    lastSeconds = seconds;
    boolean burst = seconds % 300 > 150 && seconds % 300 < 185;
    double captureRate = 90 + 35 * Math.sin(seconds / 35) + (burst ? 260 : 0);
    long queued = 0;
    long writes = 0;
    for (int i = 0; i < TYPES.size(); i++) {
      String type = TYPES.get(i);
      long captured = whole(captureCarry, i, captureRate * SHARE[i] * dt);
      long capacity = whole(sinkCarry, i, SINK_CAPACITY * SHARE[i] * dt);
      backlog[i] += captured;
      long written = Math.min(backlog[i], capacity);
      backlog[i] -= written;
      published(type).increment(captured);
      written(type).increment(written);
      lag.get(type).set(backlog[i]);
      queued += backlog[i];
      writes += written;
    }
    double queueMillis = queued / SINK_CAPACITY * 1000;
    for (long w = 0; w < writes; w++) {
      double millis = 18 + random.nextDouble() * 14 + queueMillis * random.nextDouble();
      if (random.nextDouble() < 0.02) {
        millis += 80 + random.nextDouble() * 120;
      }
      latency.record(Duration.ofNanos((long) (millis * 1e6)));
    }
  }

  /** The whole part of what accumulated, carrying the fraction over, so counts stay integers. */
  private static long whole(double[] carry, int i, double amount) {
    carry[i] += amount;
    long whole = (long) Math.floor(carry[i]);
    carry[i] -= whole;
    return whole;
  }

  long writtenTotal(String type) {
    return Math.round(written(type).count());
  }

  void setStoreBase(String type, long base) {
    storeBase.put(type, base);
  }

  @Override
  public Map<String, Long> storeCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String type : TYPES) {
      counts.put(type, storeBase.get(type) + writtenTotal(type));
    }
    return counts;
  }

  @Override
  public List<DeadLetter> latestDeadLetters(int limit) {
    synchronized (deadLetters) {
      return List.copyOf(deadLetters.subList(0, Math.min(limit, deadLetters.size())));
    }
  }

  @Override
  public List<FirstLoad> firstLoad() {
    return List.of(
        new FirstLoad("Patient", 12_480, 12_480),
        new FirstLoad("Observation", 48_200, 60_000),
        new FirstLoad("Encounter", 9_815, -1));
  }

  @Override
  public List<Aggregate> aggregates() {
    return List.of(
        new Aggregate(
            "Encounters by class",
            "encounters",
            List.of(
                new Group("ambulatory", 812),
                new Group("emergency", 143),
                new Group("inpatient", 96),
                new Group("virtual", 51))),
        new Aggregate(
            "Observations by category",
            "observations",
            List.of(
                new Group("vital-signs", 30_412),
                new Group("laboratory", 21_877),
                new Group("social-history", 3_120),
                new Group("survey", 1_048))));
  }
}

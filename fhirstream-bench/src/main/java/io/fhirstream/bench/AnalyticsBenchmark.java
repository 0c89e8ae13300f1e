package io.fhirstream.bench;

import io.fhirstream.analytics.stream.Headers;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The analytics role alone, with the built-in views and aggregates, on the embedded broker into
 * SQLite: first a backlog of changes on the hub, read by a plain consumer (the raw consume rate)
 * and then by the role (its rate, heap); then changes at a steady rate, timed from their arrival on
 * the hub (their meta.lastUpdated is the moment they are produced) to the aggregate document
 * committed in the store.
 */
public final class AnalyticsBenchmark {
  private final int patients;
  private final int rate;
  private final Duration duration;
  private final Path dataDir;
  private final PrintStream log;
  private final Map<String, String> overrides;

  /**
   * @param patients patients in the backlog; each has 4 observations, and a quarter as many updates
   *     and deletions again follow
   * @param overrides settings laid over the benchmark's own, e.g. analytics.threads
   */
  public AnalyticsBenchmark(
      int patients,
      int rate,
      Duration duration,
      Path dataDir,
      PrintStream log,
      Map<String, String> overrides) {
    this.overrides = Map.copyOf(overrides);
    this.patients = patients;
    this.rate = rate;
    this.duration = duration;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * What a run measured.
   *
   * @param changes changes in the backlog
   * @param rawPerSecond the plain consumer's rate over the backlog
   * @param appliedPerSecond the topology's stage A over the backlog (parse, views, deltas)
   * @param rolePerSecond the whole role over the backlog, results committed in the store
   * @param peakHeapMb peak heap of this JVM while the role ran (the embedded broker included)
   * @param cpuMicrosPerChange CPU time of the whole JVM per backlog change while the role read it
   * @param streamCpuMicrosPerChange of which the stream threads (stages A and B)
   * @param latencyMillis hub arrival to aggregate document committed, at {@code rate}
   * @param guarantee the processing guarantee in force
   */
  public record Result(
      long changes,
      double rawPerSecond,
      double appliedPerSecond,
      double rolePerSecond,
      long peakHeapMb,
      long cpuMicrosPerChange,
      long streamCpuMicrosPerChange,
      Histogram latencyMillis,
      String guarantee) {}

  /** CPU time of this whole process (broker, role, SQLite writer). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time so far of the live stream threads of the role. */
  private static long streamThreadCpuNanos() {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long total = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && info.getThreadName().contains("StreamThread")
          && !info.getThreadName().contains("producer")) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  public Result run() throws Exception {
    Benchmark.wipe(dataDir);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0)) {
      Settings settings =
          Settings.parse(settings(broker.bootstrapServers()), EnumSet.of(Role.ANALYTICS));
      HubConfig hub = settings.hub();
      TopicSetup.ensure(hub, List.of("Patient", "Observation"));
      EventCodec codec = new EventCodec(hub, URI.create("http://bench.invalid/fhir"));
      AnalyticsChanges changes = new AnalyticsChanges(codec, patients, 42);
      long backlog = produceBacklog(hub, changes);
      double raw = rawConsumeRate(hub, backlog);
      log.printf("analytics bench: %,d changes on the hub; raw consume %,.0f/s%n", backlog, raw);
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      MemorySampler memory = MemorySampler.start();
      long cpuStart = processCpuNanos();
      long started = System.nanoTime();
      try (Pipeline pipeline = Pipeline.start(settings, EnumSet.of(Role.ANALYTICS), metrics)) {
        long first = 0;
        long applied = 0;
        while (!(applied > 0 && pipeline.analytics().caughtUp())) {
          pipeline.checkHealthy();
          long count = count(metrics, "fhirstream.analytics.applied");
          if (count > 0 && first == 0) {
            first = System.nanoTime();
          }
          if (count >= backlog && applied == 0) {
            applied = System.nanoTime();
          }
          Thread.sleep(100);
          if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
            throw new IllegalStateException("the analytics role did not catch up in 30 minutes");
          }
        }
        long done = System.nanoTime();
        long cpuMicrosPerChange = (processCpuNanos() - cpuStart) / 1000 / backlog;
        long streamCpuMicrosPerChange = streamThreadCpuNanos() / 1000 / backlog;
        memory.stop();
        double appliedRate = backlog * 1e9 / Math.max(1, applied - first);
        double roleRate = backlog * 1e9 / Math.max(1, done - first);
        log.printf(
            "analytics bench: stage A %,.0f/s, role (results in SQLite) %,.0f/s, peak heap %,d MB,"
                + " CPU per change %d µs (stream threads %d µs)%n",
            appliedRate,
            roleRate,
            memory.peakHeapMb(),
            cpuMicrosPerChange,
            streamCpuMicrosPerChange);
        Histogram latency = latency(pipeline, hub, changes);
        return new Result(
            backlog,
            raw,
            appliedRate,
            roleRate,
            memory.peakHeapMb(),
            cpuMicrosPerChange,
            streamCpuMicrosPerChange,
            latency,
            pipeline.analytics().guarantee());
      }
    }
  }

  private Map<String, String> settings(String bootstrap) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("kafka.bootstrap.servers", bootstrap);
    raw.put("hub.topic-prefix", "bench.fhir.");
    raw.put("store.sqlite.path", dataDir.resolve("analytics.db").toString());
    raw.put("analytics.state-dir", dataDir.resolve("analytics-state").toString());
    raw.put("analytics.application-id", "bench-analytics");
    raw.putAll(overrides);
    return raw;
  }

  private long produceBacklog(HubConfig hub, AnalyticsChanges changes) {
    Instant at = Instant.parse("2025-06-01T00:00:00Z");
    List<ProducerRecord<String, byte[]>> creates = changes.creates(4, at);
    long count = 0;
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(hub, "bench-backlog")) {
      for (ProducerRecord<String, byte[]> record : creates) {
        producer.send(record);
        count++;
      }
      for (int i = 0; i < creates.size() / 4; i++) {
        producer.send(changes.next(at.plusSeconds(60 + i)));
        count++;
      }
      producer.flush();
    }
    return count;
  }

  /** A plain consumer reading the whole backlog, nothing done with it. */
  private static double rawConsumeRate(HubConfig hub, long backlog) {
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.consumer(hub, null, "bench-raw-consume")) {
      List<TopicPartition> partitions =
          java.util.stream.Stream.of("Patient", "Observation")
              .flatMap(
                  type -> consumer.partitionsFor(hub.topic(type), Duration.ofSeconds(30)).stream())
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long read = 0;
      long bytes = 0;
      long started = System.nanoTime();
      while (read < backlog) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          read++;
          bytes += record.value() == null ? 0 : record.value().length;
        }
      }
      long elapsed = System.nanoTime() - started;
      return bytes >= 0 ? read * 1e9 / elapsed : 0;
    }
  }

  /** Changes at {@code rate}, timed from hub arrival to their aggregate documents in the store. */
  private Histogram latency(Pipeline pipeline, HubConfig hub, AnalyticsChanges changes)
      throws InterruptedException {
    Histogram millis = new Histogram(Duration.ofMinutes(5).toMillis(), 3);
    if (duration.isZero()) {
      return millis;
    }
    long warmup = Math.min(10_000, duration.toMillis() / 4);
    long measureFrom = System.currentTimeMillis() + warmup;
    pipeline
        .analytics()
        .results()
        .onCommitted(
            batch -> {
              long now = System.currentTimeMillis();
              for (ConsumerRecord<String, byte[]> record : batch) {
                Header header = record.headers().lastHeader(Headers.SOURCE_TIME);
                if (header != null) {
                  long written = Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
                  if (written >= measureFrom) {
                    synchronized (millis) {
                      millis.recordValue(Math.max(0, now - written));
                    }
                  }
                }
              }
            });
    long interval = 1_000_000_000L / rate;
    long end = System.nanoTime() + duration.toNanos();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(hub, "bench-steady")) {
      long next = System.nanoTime();
      while (next < end) {
        producer.send(changes.next(Instant.now(), true));
        next += interval;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
      producer.flush();
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!pipeline.analytics().caughtUp() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    synchronized (millis) {
      log.printf(
          "analytics bench: %,d changes/s for %s: p50 %d ms, p99 %d ms, max %d ms (%,d results)%n",
          rate,
          duration,
          millis.getValueAtPercentile(50),
          millis.getValueAtPercentile(99),
          millis.getMaxValue(),
          millis.getTotalCount());
      return millis.copy();
    }
  }

  private static long count(SimpleMeterRegistry metrics, String name) {
    return (long) metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** The report's section. */
  public static String toMarkdown(int patients, int rate, Duration duration, Result r) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "## Analytics: %,d changes through the built-in views and aggregates%n%n",
            r.changes()));
    out.append(
        String.format(
            "`fhirstream bench --analytics --analytics-patients %d --latency-rate %d"
                + " --latency-duration %ds`: %,d patients with 4 observations each, then a quarter"
                + " as many updates (patients moving city or gender, values corrected) and"
                + " deletions, already on the embedded broker; then the analytics role alone"
                + " (%s) into SQLite, in the same JVM as the broker, on the shared 2-core machine.%n%n",
            patients, rate, duration.toSeconds(), patients, r.guarantee()));
    out.append("| reader of the same backlog | changes/s |\n|---|---:|\n");
    out.append(
        String.format(
            "| plain consumer, nothing done (raw consume) | %,.0f |%n", r.rawPerSecond()));
    out.append(
        String.format(
            "| analytics stage A: version guard, parse once, 2 views, deltas of 7 aggregates |"
                + " %,.0f |%n",
            r.appliedPerSecond()));
    out.append(
        String.format(
            "| analytics role to the end: groups updated, results and view rows committed in"
                + " SQLite | %,.0f |%n%n",
            r.rolePerSecond()));
    out.append(
        String.format(
            "CPU per change over the backlog: %,d µs for the whole JVM (broker, role, SQLite"
                + " writer), %,d µs of it on the stream threads; so two cores given to the JVM alone"
                + " would carry about %,.0f changes/s. Peak heap of the JVM (the same three): %,d"
                + " MB.%n%n",
            r.cpuMicrosPerChange(),
            r.streamCpuMicrosPerChange(),
            2e6 / Math.max(1, r.cpuMicrosPerChange()),
            r.peakHeapMb()));
    Histogram h = r.latencyMillis();
    if (h.getTotalCount() > 0) {
      out.append(
          String.format(
              "## Analytics latency: %,d changes/s for %d s%n%n", rate, duration.toSeconds()));
      out.append(
          "From a change's arrival on the hub (its meta.lastUpdated is the moment it is"
              + " produced) to the aggregate document it changed committed in SQLite, over every"
              + " result change after the warm-up:\n\n");
      out.append("| p50 | p90 | p99 | max | result changes timed |\n|---:|---:|---:|---:|---:|\n");
      out.append(
          String.format(
              "| %d ms | %d ms | %d ms | %d ms | %,d |%n",
              h.getValueAtPercentile(50),
              h.getValueAtPercentile(90),
              h.getValueAtPercentile(99),
              h.getMaxValue(),
              h.getTotalCount()));
    }
    return out.toString();
  }
}

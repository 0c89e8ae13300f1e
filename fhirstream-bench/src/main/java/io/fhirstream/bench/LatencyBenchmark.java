package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.hl7.fhir.r4.model.Patient;

/**
 * Change latency at a steady rate in polling mode: from the FHIR server accepting a write to the
 * sink committing the batch that holds it (store flushed, offsets committed). Push mode is {@link
 * PushLatencyBenchmark}.
 */
public final class LatencyBenchmark {
  private final int rate;
  private final Duration duration;
  private final Duration warmup;
  private final Path dataDir;
  private final PrintStream log;

  public LatencyBenchmark(int rate, Duration duration, Path dataDir, PrintStream log) {
    this.rate = rate;
    this.duration = duration;
    this.warmup = Duration.ofSeconds(Math.min(10, duration.toSeconds() / 4));
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * What a run measured.
   *
   * @param micros latency from the FHIR write to the store commit, in microseconds
   * @param toHubMicros latency from the FHIR write to the change being readable on the hub
   * @param liveHeapStartMb heap in use after a full GC once warmed up
   * @param liveHeapEndMb the same at the end: growth here would be a leak
   */
  public record Result(
      Histogram micros,
      Histogram toHubMicros,
      long liveHeapStartMb,
      long liveHeapEndMb,
      long peakRssMb,
      long gcCount,
      long gcTotalMillis,
      long gcMaxMillis,
      long uncommitted) {}

  /** Runs the workload and returns what it measured. */
  public Result run() throws Exception {
    Benchmark.wipe(dataDir);
    Map<String, Long> writtenAt = new ConcurrentHashMap<>();
    Histogram toHub;
    long[] measureFrom = {Long.MAX_VALUE};
    CommitTimer fromWrite = new CommitTimer(() -> measureFrom[0]);
    long liveStart = -1;
    long liveEnd;
    GcWatch gc;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        DemoFhirServer server = DemoFhirServer.builder().resourceTypes("Patient").build().start();
        Pipeline pipeline = start(broker, server);
        HubArrivals arrivals =
            new HubArrivals(
                pipeline.hub(),
                new EventCodec(pipeline.hub(), URI.create(server.baseUrl())),
                "Patient",
                writtenAt,
                () -> measureFrom[0])) {
      pipeline
          .sink()
          .onCommitted(
              batch -> {
                long now = System.nanoTime();
                for (ChangeEvent event : batch) {
                  fromWrite.committed(event, now);
                }
              });
      SyntheticPatients generator = new SyntheticPatients(3);
      List<Patient> live = new ArrayList<>();
      Random random = new Random(5);
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      measureFrom[0] = start + warmup.toNanos();
      long end = start + duration.toNanos();
      gc = new GcWatch();
      for (long next = start; next < end; next += interval) {
        if (liveStart < 0 && next >= measureFrom[0]) {
          liveStart = GcWatch.liveHeapMb();
        }
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        ResourceVersion written = change(server, generator, live, random);
        long at = System.nanoTime();
        String key = written.id() + "/" + written.versionId();
        writtenAt.put(key, at);
        fromWrite.started(key, at);
      }
      log.printf(
          "latency run: %,d changes at %,d/s; waiting for the last to commit%n",
          (end - start) / interval, rate);
      int uncommitted = fromWrite.awaitCommitted(Duration.ofSeconds(30));
      if (uncommitted > 0) {
        log.printf("%,d changes not committed within 30 s after the run%n", uncommitted);
      }
      gc.close();
      liveEnd = GcWatch.liveHeapMb();
      toHub = arrivals.micros();
    }
    return new Result(
        fromWrite.micros(),
        toHub,
        liveStart,
        liveEnd,
        MemorySampler.peakRssMb(),
        gc.count(),
        gc.totalMillis(),
        gc.maxMillis(),
        fromWrite.uncommitted());
  }

  /** A third creates, the rest updates of a random live patient (several per patient). */
  private static ResourceVersion change(
      DemoFhirServer server, SyntheticPatients generator, List<Patient> live, Random random) {
    if (live.size() < 100 || random.nextInt(3) == 0) {
      Patient patient = generator.next();
      ResourceVersion version = server.store().create(patient);
      live.add(patient);
      return version;
    }
    int index = random.nextInt(live.size());
    Patient changed = generator.mutate(live.get(index));
    changed.setId(live.get(index).getIdElement().getIdPart());
    ResourceVersion version = server.store().update(changed);
    live.set(index, changed);
    return version;
  }

  private Pipeline start(EmbeddedKafkaBroker broker, DemoFhirServer server) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("source.fhir.base-url", server.baseUrl());
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("store.sqlite.path", dataDir.resolve("latency.db").toString());
    return Pipeline.start(
        Settings.parse(raw), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry());
  }
}

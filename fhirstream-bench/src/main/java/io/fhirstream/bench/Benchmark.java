package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.source.capture.CrawlTarget;
import io.fhirstream.source.capture.HistoryCrawler;
import io.fhirstream.source.capture.SearchCrawler;
import io.fhirstream.source.capture.WindowedSnapshot;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.fhirstream.store.sqlite.SqliteDocumentWriter;
import io.fhirstream.store.sqlite.SqliteStoreConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the backfill benchmark: seeds the demo server, measures each stage alone, then the whole
 * pipeline, then checks the store against the server.
 */
public final class Benchmark {
  private static final int PAGE_SIZE = 1000;
  private static final int SINK_BATCH = 2000;

  /** Readers of the first load, as {@code source.backfill.parallelism}'s default. */
  private static final int READERS = 4;

  private final int patients;
  private final Path dataDir;
  private final PrintStream log;
  private final Map<String, Double> references = new LinkedHashMap<>();
  private double parallelCeiling;

  public Benchmark(int patients, Path dataDir, PrintStream log) {
    this.patients = patients;
    this.dataDir = dataDir;
    this.log = log;
  }

  public BenchmarkReport run() throws Exception {
    wipe(dataDir);
    Map<String, Double> ceilings = new LinkedHashMap<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        DemoFhirServer server = DemoFhirServer.builder().resourceTypes("Patient").build().start()) {
      seed(server);
      List<ChangeEvent> events = measureFhirReads(server, ceilings);
      measureProduce(broker, server, events, ceilings);
      measureSqlite(events, ceilings);
      events = null; // let the pipeline run have the heap
      System.gc();
      double backfill = measureSourceBackfill(broker, server);
      MemorySampler memory = MemorySampler.start();
      double rate;
      boolean consistent;
      Path database = dataDir.resolve("fhirstream.db");
      try (Pipeline pipeline = startPipeline(broker, server, database)) {
        long start = System.nanoTime();
        if (!pipeline.awaitDrained(Instant.now(), Duration.ofMinutes(15))) {
          throw new PipelineException("the pipeline did not drain within 15 minutes");
        }
        rate = patients / seconds(start);
        log.printf("whole pipeline: %,.0f changes/s%n", rate);
      }
      memory.stop();
      try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
        consistent =
            ConsistencyCheck.compare(server.store().snapshot("Patient"), reader.readAll("Patient"))
                .consistent();
      }
      return new BenchmarkReport(
          patients,
          ceilings,
          references,
          rate,
          new BenchmarkReport.FirstLoad(READERS, parallelCeiling, backfill),
          memory.peakHeapMb(),
          MemorySampler.peakRssMb(),
          consistent,
          machine());
    }
  }

  private void seed(DemoFhirServer server) {
    SyntheticPatients generator = new SyntheticPatients(1);
    long start = System.nanoTime();
    for (int i = 0; i < patients; i++) {
      server.store().create(generator.next());
    }
    log.printf("seeded %,d patients in %.1f s%n", patients, seconds(start));
  }

  /**
   * The FHIR reads: the whole history and a one-client search for reference, the server's parallel
   * read ceiling, and the first load's own read (parallel windows, nothing published) as the read
   * stage's ceiling. The events are kept for the other stages' runs.
   */
  private List<ChangeEvent> measureFhirReads(DemoFhirServer server, Map<String, Double> out) {
    FhirHttpClient http =
        new FhirHttpClient(
            URI.create(server.baseUrl()),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            io.fhirstream.api.Backoff.DEFAULT,
            3);
    List<ChangeEvent> history = new ArrayList<>();
    long start = System.nanoTime();
    CrawlTarget target =
        new CrawlTarget(http, "Patient", PAGE_SIZE, Duration.ZERO, Clock.systemUTC());
    new HistoryCrawler(target).crawl(null, (events, cursor) -> history.addAll(events));
    record(references, "FHIR history read (whole history)", history.size(), start);
    history.clear();
    start = System.nanoTime();
    int[] searched = {0};
    new SearchCrawler(target).crawl(null, (events, cursor) -> searched[0] += events.size());
    record(references, "FHIR search read, one client", searched[0], start);
    parallelCeiling =
        ParallelReadCeiling.resourcesPerSecond(http, "Patient", READERS, PAGE_SIZE, Instant.now());
    log.printf(
        "FHIR parallel read ceiling, %d clients of equal windows: %,.0f changes/s%n",
        READERS, parallelCeiling);
    List<ChangeEvent> snapshot = Collections.synchronizedList(new ArrayList<>());
    start = System.nanoTime();
    new WindowedSnapshot(target, READERS).load(null, (events, progress) -> snapshot.addAll(events));
    record(out, "FHIR first-load read (" + READERS + " windows at once)", snapshot.size(), start);
    return snapshot;
  }

  /**
   * The first load as a source-only pipeline runs it: FHIR → Kafka, cursor committed, on topics of
   * its own so the whole-pipeline run after it starts from scratch.
   */
  private double measureSourceBackfill(EmbeddedKafkaBroker broker, DemoFhirServer server)
      throws InterruptedException {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("source.fhir.base-url", server.baseUrl());
    raw.put("source.page-size", Integer.toString(PAGE_SIZE));
    raw.put("source.backfill.parallelism", Integer.toString(READERS));
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("hub.topic-prefix", "backfill.fhir.");
    raw.put("hub.cursor-topic", "backfill.cursors");
    raw.put("hub.dead-letter-topic", "backfill.dead-letters");
    try (Pipeline source =
        Pipeline.start(Settings.parse(raw), EnumSet.of(Role.SOURCE), new SimpleMeterRegistry())) {
      long start = System.nanoTime();
      while (source.source().publishedUpTo("Patient").isEmpty()) {
        source.checkHealthy();
        if (seconds(start) > 900) {
          throw new PipelineException("the first load did not end within 15 minutes");
        }
        Thread.sleep(20);
      }
      double rate = patients / seconds(start);
      log.printf("first load FHIR → Kafka (source only): %,.0f changes/s%n", rate);
      return rate;
    }
  }

  private void measureProduce(
      EmbeddedKafkaBroker broker,
      DemoFhirServer server,
      List<ChangeEvent> events,
      Map<String, Double> out) {
    HubConfig hub =
        hub(Map.of(
                "hub.topic-prefix",
                "raw.fhir.",
                "hub.cursor-topic",
                "raw.cursors",
                "hub.dead-letter-topic",
                "raw.dead-letters"))
            .withBootstrapServers(broker.bootstrapServers());
    TopicSetup.ensure(hub, List.of("Patient"));
    try (KafkaEventPublisher publisher =
        new KafkaEventPublisher(
            KafkaClients.producer(hub, "bench-raw"),
            new EventCodec(hub, URI.create(server.baseUrl())))) {
      long start = System.nanoTime();
      events.forEach(publisher::send);
      publisher.flush();
      record(out, "Kafka produce (acks=all)", events.size(), start);
    }
  }

  private void measureSqlite(List<ChangeEvent> events, Map<String, Double> out) {
    try (SqliteDocumentWriter sink =
        new SqliteDocumentWriter(SqliteStoreConfig.at(dataDir.resolve("raw.db")))) {
      sink.open(() -> (event, reason) -> {});
      long start = System.nanoTime();
      for (int i = 0; i < events.size(); i += SINK_BATCH) {
        sink.write(events.subList(i, Math.min(events.size(), i + SINK_BATCH)));
        sink.flush();
      }
      record(out, "SQLite upsert", events.size(), start);
    }
  }

  private Pipeline startPipeline(EmbeddedKafkaBroker broker, DemoFhirServer server, Path db) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("source.fhir.base-url", server.baseUrl());
    raw.put("source.page-size", Integer.toString(PAGE_SIZE));
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("store.sqlite.path", db.toString());
    return Pipeline.start(
        Settings.parse(raw), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry());
  }

  private static HubConfig hub(Map<String, String> raw) {
    ConfigDefinition definition = HubConfig.DEFINITION;
    return HubConfig.from(definition.parse(raw));
  }

  private void record(Map<String, Double> out, String stage, int count, long start) {
    double rate = count / seconds(start);
    out.put(stage, rate);
    log.printf(
        "%s alone: %,d changes in %.2f s = %,.0f changes/s%n", stage, count, seconds(start), rate);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The machine's cores, this JVM's heap, the Java version and the OS, for a report. */
  static String machineDescription() {
    return machine();
  }

  private static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, max heap "
        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
        + " MB, Java "
        + System.getProperty("java.version")
        + ", "
        + System.getProperty("os.name");
  }

  static void wipe(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(dir);
  }
}

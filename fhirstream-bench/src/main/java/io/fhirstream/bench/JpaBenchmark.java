package io.fhirstream.bench;

import io.fhirstream.api.Backoff;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.FhirServerState;
import io.fhirstream.demo.patients.PatientBundles;
import io.fhirstream.jpaserver.JpaFhirServerProcess;
import io.fhirstream.jpaserver.TransactionLoader;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The first load from a real HAPI FHIR JPA server (H2, its own process), loaded through its REST
 * API with transaction Bundles — generated ({@link PatientBundles}) or Synthea's own files — so
 * that, as on a server loaded by Synthea, each transaction's resources share one {@code
 * lastUpdated}.
 *
 * <p>Measured in one run: the server's own parallel read ceiling, cold and warm (plain clients, 4
 * disjoint {@code _lastUpdated} windows per type, following nothing but the server's links,
 * publishing nothing); the pipeline end to end as its own process (from its JVM's start to the last
 * resource durable in SQLite), with the time to its first request, the entries it read and the
 * events it published per resource, and its peak RSS; then live-change latency with the types
 * listed and with {@code *}.
 */
public final class JpaBenchmark {
  /** Clients of the ceiling per type, as {@code source.backfill.parallelism}'s default. */
  static final int READERS = 4;

  /** The page size of the ceiling's reads, as {@code source.page-size}'s default. */
  static final int PAGE_SIZE = 500;

  private final Options options;
  private final PrintStream log;

  /**
   * What to load and run.
   *
   * @param patients generated patient bundles to load, when {@code syntheaDir} is null
   * @param syntheaDir a directory of Synthea transaction Bundles ({@code *.json}), or null
   * @param copies how many times each Synthea file is loaded (each time as new resources)
   * @param latencyRate Patient updates per second in the latency runs
   * @param latencyDuration each latency run's length; zero skips them
   */
  public record Options(
      Path dataDir,
      int patients,
      Path syntheaDir,
      int copies,
      int latencyRate,
      Duration latencyDuration) {}

  /** What a run measured. */
  public record Result(
      String data,
      long resources,
      Map<String, Long> byType,
      Ceiling cold,
      EndToEnd endToEnd,
      Ceiling warm,
      ConsistencyCheck.Result consistency,
      List<JpaLatency.Result> latency,
      String machine) {}

  /** The server's parallel read ceiling: resources read by plain clients in that time. */
  public record Ceiling(long resources, long nanos) {
    double perSecond() {
      return resources / (nanos / 1e9);
    }
  }

  /**
   * The pipeline's run, as its own process.
   *
   * @param nanos from launching its JVM to the last resource durable in the store
   * @param firstRequestMillis from its JVM's start to its first request to the FHIR server
   * @param entriesRead entries the first load read from the server
   * @param published events on the topics; {@code distinct} the resource versions among them
   */
  public record EndToEnd(
      long nanos,
      long firstRequestMillis,
      long entriesRead,
      long published,
      long distinct,
      long peakRssMb) {}

  public JpaBenchmark(Options options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  public Result run() throws Exception {
    Benchmark.wipe(options.dataDir());
    try (EmbeddedKafkaBroker broker =
            EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), 0);
        JpaFhirServerProcess server =
            JpaFhirServerProcess.builder()
                .heap("2g")
                .fastStartup(false)
                .subscriptions(false)
                .logFile(options.dataDir().resolve("jpa-server.log").toAbsolutePath())
                .start()) {
      log.printf(
          "JPA server ready at %s in %.1f s (pid %d)%n",
          server.baseUrl(), server.startupTime().toMillis() / 1000.0, server.pid());
      TransactionLoader.LoadResult loaded = load(server.baseUrl());
      Map<String, Long> byType = new TreeMap<>(loaded.createdByType());
      long total = loaded.created();
      log.printf(
          "loaded %,d resources of %d types in %,d transactions in %.1f s%n",
          total, byType.size(), loaded.bundles(), loaded.elapsed().toMillis() / 1000.0);
      // A snapshot reads what was written before the server's clock (whole seconds) less the
      // safety lag: let the last write fall before it.
      Thread.sleep(2_500);
      List<String> types = new ArrayList<>(byType.keySet());
      Ceiling cold = ceiling(server.baseUrl(), types, "cold");
      EndToEnd endToEnd = endToEnd(server.baseUrl(), broker.bootstrapServers(), types, total);
      Ceiling warm = ceiling(server.baseUrl(), types, "warm");
      ConsistencyCheck.Result consistency;
      try (SqliteDocumentReader reader = SqliteDocumentReader.open(store())) {
        consistency =
            ConsistencyCheck.compareAllExpected(
                types, type -> FhirServerState.read(server.baseUrl(), type), reader::readAll);
      }
      log.printf(
          "store = server: %s (%,d resources checked)%n",
          consistency.consistent() ? "yes" : consistency.problems(), consistency.checked());
      List<JpaLatency.Result> latency = new ArrayList<>();
      if (!options.latencyDuration().isZero()) {
        List<String> patients = patientIds(server.baseUrl());
        latency.add(latency(server, broker, String.join(",", types), patients, "listed"));
        latency.add(latency(server, broker, "*", patients, "all"));
      }
      return new Result(
          data(),
          total,
          byType,
          cold,
          endToEnd,
          warm,
          consistency,
          latency,
          Benchmark.machineDescription());
    }
  }

  private String data() {
    return options.syntheaDir() != null
        ? options.copies() + " × the Synthea bundles in " + options.syntheaDir().getFileName()
        : options.patients() + " generated patient bundles";
  }

  private TransactionLoader.LoadResult load(String baseUrl) throws Exception {
    TransactionLoader loader = TransactionLoader.to(baseUrl, 2, Duration.ofMinutes(10));
    if (options.syntheaDir() != null) {
      List<Path> files;
      try (Stream<Path> list = Files.list(options.syntheaDir())) {
        files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException(
            "--synthea-dir " + options.syntheaDir() + " holds no .json transaction bundles");
      }
      List<Path> copies = new ArrayList<>();
      for (int i = 0; i < options.copies(); i++) {
        copies.addAll(files);
      }
      return loader.loadFiles(copies);
    }
    PatientBundles bundles = new PatientBundles(42, 12, 10);
    List<byte[]> transactions = new ArrayList<>();
    for (int i = 0; i < options.patients(); i++) {
      transactions.add(bundles.next());
    }
    return loader.loadBundles(transactions);
  }

  /** Every type read by 4 plain clients of disjoint windows, one type after another. */
  private Ceiling ceiling(String baseUrl, List<String> types, String name) {
    FhirHttpClient http =
        new FhirHttpClient(
            URI.create(baseUrl), Duration.ofSeconds(10), Duration.ofMinutes(2), Backoff.DEFAULT, 3);
    long resources = 0;
    long nanos = 0;
    Instant before = Instant.now();
    for (String type : types) {
      ParallelReadCeiling.Read read =
          ParallelReadCeiling.read(http, type, READERS, PAGE_SIZE, before);
      resources += read.resources();
      nanos += read.nanos();
    }
    Ceiling ceiling = new Ceiling(resources, nanos);
    log.printf(
        "server's parallel read ceiling (%s): %,d resources in %.1f s = %,.0f/s%n",
        name, resources, nanos / 1e9, ceiling.perSecond());
    return ceiling;
  }

  private EndToEnd endToEnd(String baseUrl, String bootstrap, List<String> types, long total)
      throws Exception {
    Map<String, String> settings =
        pipelineSettings(baseUrl, bootstrap, String.join(",", types), options.dataDir(), "e2e");
    settings.put("store.sqlite.path", store().toString());
    Path pipelineLog = options.dataDir().resolve("pipeline.log");
    log.printf("end to end: starting the pipeline process (-Xmx512m), log in %s%n", pipelineLog);
    long nanos;
    long peakRss;
    PipelineProcess pipeline = PipelineProcess.start(List.of("-Xmx512m"), settings, pipelineLog);
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (count(store(), types) < total) {
        pipeline.requireAlive();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the first load did not end within 30 minutes");
        }
        Thread.sleep(50);
      }
      nanos = System.nanoTime() - pipeline.launchedNanos();
      peakRss = pipeline.peakRssMb();
    } finally {
      pipeline.close();
    }
    long published = 0;
    long distinct = 0;
    for (String type : types) {
      TopicEvents.Count count = TopicEvents.count(bootstrap, "e2e.fhir." + type);
      published += count.records();
      distinct += count.distinct();
    }
    EndToEnd result =
        new EndToEnd(
            nanos,
            pipeline.firstRequestMillis(),
            pipeline.entriesRead(),
            published,
            distinct,
            peakRss);
    log.printf(
        "end to end: %,d resources in %.1f s = %,.0f/s; first request %,d ms after JVM start;"
            + " %,d entries read, %,d events published (%,d distinct); peak RSS %,d MB%n",
        total,
        nanos / 1e9,
        total / (nanos / 1e9),
        result.firstRequestMillis(),
        result.entriesRead(),
        published,
        distinct,
        peakRss);
    return result;
  }

  private JpaLatency.Result latency(
      JpaFhirServerProcess server,
      EmbeddedKafkaBroker broker,
      String types,
      List<String> patients,
      String name)
      throws Exception {
    JpaLatency.Result result =
        JpaLatency.run(
            server.baseUrl(),
            broker.bootstrapServers(),
            types,
            patients,
            options.latencyRate(),
            options.latencyDuration(),
            options.dataDir(),
            name,
            log);
    log.printf(
        "latency with %d types: p50 %,d ms, p99 %,d ms, max %,d ms (%,d changes, %,d missing)%n",
        result.types(),
        result.micros().getValueAtPercentile(50) / 1000,
        result.micros().getValueAtPercentile(99) / 1000,
        result.micros().getMaxValue() / 1000,
        result.written(),
        result.missing());
    return result;
  }

  /** The ids of up to 200 Patients, to update in the latency runs. */
  private static List<String> patientIds(String baseUrl) {
    List<String> ids = new ArrayList<>(FhirServerState.read(baseUrl, "Patient").keySet());
    return ids.subList(0, Math.min(200, ids.size()));
  }

  private Path store() {
    return options.dataDir().resolve("e2e.db");
  }

  /** Settings of a pipeline run, its topics, cursors and store named for the run. */
  static Map<String, String> pipelineSettings(
      String baseUrl, String bootstrap, String types, Path dataDir, String name) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("source.fhir.base-url", baseUrl);
    settings.put("source.resource-types", types);
    settings.put("kafka.bootstrap.servers", bootstrap);
    settings.put("hub.topic-prefix", name + ".fhir.");
    settings.put("hub.cursor-topic", name + ".cursors");
    settings.put("hub.dead-letter-topic", name + ".dead-letters");
    settings.put("sink.group-id", name + ".sink");
    settings.put("store.sqlite.path", dataDir.resolve(name + ".db").toString());
    return settings;
  }

  /** Rows in the store's tables of these types; 0 while there is no store. */
  private static long count(Path store, List<String> types) throws SQLException, IOException {
    if (!Files.exists(store)) {
      return 0;
    }
    long rows = 0;
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store);
        Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet names =
          statement.executeQuery("SELECT name FROM sqlite_schema WHERE type = 'table'")) {
        while (names.next()) {
          tables.add(names.getString(1));
        }
      }
      for (String type : types) {
        if (tables.contains(type)) {
          try (ResultSet count = statement.executeQuery("SELECT count(*) FROM \"" + type + "\"")) {
            rows += count.next() ? count.getLong(1) : 0;
          }
        }
      }
    }
    return rows;
  }
}

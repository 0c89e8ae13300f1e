package io.fhirstream.bench;

import io.fhirstream.api.PipelineException;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first load of one seeded demo server two ways, each through the whole pipeline (FHIR → Kafka
 * → SQLite) into a fresh store: paged {@code _lastUpdated} search (the default first load) and bulk
 * {@code $export} (asynchronous job, NDJSON files). Same server, same broker, same data.
 */
public final class ExportBenchmark {
  private static final int PAGE_SIZE = 1000;

  private final int patients;
  private final Path dataDir;
  private final PrintStream log;

  /** One way's figures. */
  public record Run(
      String mode, double seconds, double rate, long peakHeapMb, boolean consistent) {}

  public ExportBenchmark(int patients, Path dataDir, PrintStream log) {
    this.patients = patients;
    this.dataDir = dataDir;
    this.log = log;
  }

  public List<Run> run() throws Exception {
    Benchmark.wipe(dataDir);
    List<Run> runs = new ArrayList<>();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        DemoFhirServer server = DemoFhirServer.builder().resourceTypes("Patient").build()) {
      SyntheticPatients generator = new SyntheticPatients(1);
      for (int i = 0; i < patients; i++) {
        server.store().create(generator.next());
      }
      server.start();
      log.printf("seeded %,d patients%n", patients);
      // Search once more after export, so each way has a run in a warmed-up JVM.
      runs.add(backfill(broker, server, "search", 1));
      runs.add(backfill(broker, server, "export", 1));
      runs.add(backfill(broker, server, "search", 2));
    }
    return runs;
  }

  private Run backfill(EmbeddedKafkaBroker broker, DemoFhirServer server, String mode, int round)
      throws Exception {
    String name = mode + round;
    Path database = dataDir.resolve(name + ".db");
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put("source.fhir.base-url", server.baseUrl());
    raw.put("source.page-size", Integer.toString(PAGE_SIZE));
    raw.put("source.backfill", mode);
    raw.put("kafka.bootstrap.servers", broker.bootstrapServers());
    raw.put("hub.topic-prefix", name + ".fhir.");
    raw.put("hub.cursor-topic", name + ".cursors");
    raw.put("hub.dead-letter-topic", name + ".dead-letters");
    raw.put("sink.group-id", "fhirstream-bench-" + name);
    raw.put("store.sqlite.path", database.toString());
    System.gc();
    MemorySampler memory = MemorySampler.start();
    double seconds;
    try (Pipeline pipeline =
        Pipeline.start(
            Settings.parse(raw), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry())) {
      long start = System.nanoTime();
      if (!pipeline.awaitDrained(Instant.now(), Duration.ofMinutes(15))) {
        throw new PipelineException("the " + mode + " backfill did not drain within 15 minutes");
      }
      seconds = (System.nanoTime() - start) / 1e9;
    }
    memory.stop();
    boolean consistent;
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
      consistent =
          ConsistencyCheck.compare(server.store().snapshot("Patient"), reader.readAll("Patient"))
              .consistent();
    }
    String label =
        mode.equals("export")
            ? "bulk `$export`"
            : round == 1 ? "paged search, cold JVM" : "paged search, warmed up";
    Run run = new Run(label, seconds, patients / seconds, memory.peakHeapMb(), consistent);
    log.printf(
        "backfill by %s: %,d patients in %.1f s = %,.0f changes/s%n",
        mode, patients, seconds, run.rate());
    return run;
  }

  /** The {@code ## } section of docs/PERFORMANCE.md. */
  public static String toMarkdown(int patients, List<Run> runs) {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "%n## Backfill by $export vs paged search: %,d synthetic patients%n%n"
                    + "The same seeded demo server loaded twice through the whole pipeline (FHIR"
                    + " → Kafka → SQLite, embedded broker), each into a fresh store, timed from"
                    + " the pipeline's start until the sink has committed everything:"
                    + " `source.backfill=search` reads `_lastUpdated` search pages of %,d;"
                    + " `source.backfill=export` kicks off `$export`, polls its status and"
                    + " streams the NDJSON files (10,000 resources each). Paged search runs first,"
                    + " in a JVM not yet warmed up, and again after `$export`; it reads its"
                    + " default 4 windows at once. Both"
                    + " hand over to history at their own consistency point (the snapshot's"
                    + " start, the export's transactionTime), and both times include up to a"
                    + " poll interval and the safety lag before the cursor passes the start."
                    + " Generated by"
                    + " `fhirstream bench --backfill-mode export --patients %d --latency-duration"
                    + " 0s --report docs/PERFORMANCE.md`.%n%n",
                patients, PAGE_SIZE, patients));
    out.append("| first load | time (s) | changes/s | peak heap (MB) | store = server |\n")
        .append("|---|---:|---:|---:|---|\n");
    for (Run run : runs) {
      out.append(
          String.format(
              "| %s | %.1f | %,.0f | %d | %s |%n",
              run.mode(),
              run.seconds(),
              run.rate(),
              run.peakHeapMb(),
              run.consistent() ? "yes" : "**no**"));
    }
    return out.toString();
  }
}

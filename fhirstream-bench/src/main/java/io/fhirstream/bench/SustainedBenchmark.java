package io.fhirstream.bench;

import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long run at a high, steady change rate, watching the pipeline for growth: heap after GC, RSS,
 * GC pauses and how far the store trails the server.
 *
 * <p>The pipeline runs as its own process (the real CLI, {@code run}, with the default 512 MB
 * heap), so what is measured is the pipeline alone: the demo FHIR server keeps every version in
 * memory and the broker has its own needs, and both stay in this process. The workload keeps a
 * fixed population of patients and changes them (updates, deletions, re-creations), as a
 * steady-state production server would see.
 */
public final class SustainedBenchmark {
  private static final int POPULATION = 10_000;
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

  private final int rate;
  private final Duration duration;
  private final Path dataDir;
  private final PrintStream log;

  public SustainedBenchmark(int rate, Duration duration, Path dataDir, PrintStream log) {
    this.rate = rate;
    this.duration = duration;
    this.dataDir = dataDir;
    this.log = log;
  }

  /**
   * One sample of the pipeline process.
   *
   * @param atSeconds seconds since the workload started
   * @param rssMb the pipeline process's resident set
   * @param storeLagMillis how far the newest change in the store trails the wall clock
   */
  public record Sample(long atSeconds, long rssMb, long storeLagMillis, long written) {}

  /**
   * The live heap of the pipeline process, after the full collection that {@code jcmd
   * GC.class_histogram} forces: the data it really holds, which is what must not grow.
   */
  public record LiveHeap(long afterMinuteOneMb, long atEndMb) {}

  /** What a run measured. */
  public record Result(
      long written,
      double achievedRate,
      List<Sample> samples,
      GcLog gc,
      LiveHeap liveHeap,
      Duration drainTime,
      ConsistencyCheck.Result consistency) {}

  public Result run() throws Exception {
    Benchmark.wipe(dataDir);
    Files.createDirectories(dataDir);
    Path store = dataDir.resolve("sustained.db");
    Path gcLog = dataDir.resolve("pipeline-gc.log");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), 0);
        DemoFhirServer server = DemoFhirServer.builder().resourceTypes("Patient").build().start()) {
      // Writes go straight into the server's store: the benchmark measures the pipeline, not HTTP.
      Workload workload =
          Workload.builder()
              .direct(server.store())
              .generators(new SyntheticPatients(11), null)
              .seed(13)
              .mix(Workload.Mix.STEADY)
              .build();
      workload.seed(server.store(), POPULATION);
      Process pipeline = startPipeline(server, broker, store, gcLog);
      try {
        return measure(server, workload, pipeline, store, gcLog);
      } finally {
        stop(pipeline);
      }
    }
  }

  private Result measure(
      DemoFhirServer server, Workload workload, Process pipeline, Path store, Path gcLog)
      throws Exception {
    awaitStore(store, pipeline);
    List<Sample> samples = new ArrayList<>();
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextSample = start + SAMPLE_EVERY.toNanos();
    long written = 0;
    long liveEarly = -1;
    long liveLate = -1;
    long earlyAt = start + Math.min(Duration.ofMinutes(1).toNanos(), duration.toNanos() / 4);
    long lateAt = end - Math.min(Duration.ofSeconds(15).toNanos(), duration.toNanos() / 8);
    for (long next = start; next < end; next += interval) {
      if (liveEarly < 0 && next >= earlyAt) {
        liveEarly = liveHeapMb(pipeline.pid());
      } else if (liveLate < 0 && next >= lateAt) {
        liveLate = liveHeapMb(pipeline.pid());
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      workload.randomChange();
      written++;
      if (System.nanoTime() >= nextSample) {
        requireAlive(pipeline);
        Sample sample =
            new Sample(
                (System.nanoTime() - start) / 1_000_000_000L,
                rssMb(pipeline.pid()),
                storeLagMillis(store),
                written);
        samples.add(sample);
        log.printf(
            "sustained: %4d s, %,d changes written, pipeline RSS %d MB, store %,d ms behind%n",
            sample.atSeconds(), written, sample.rssMb(), sample.storeLagMillis());
        nextSample += SAMPLE_EVERY.toNanos();
      }
    }
    double achieved = written / ((System.nanoTime() - start) / 1e9);
    long drainStart = System.nanoTime();
    ConsistencyCheck.Result consistency = compare(server, store);
    while (!consistency.consistent()
        && System.nanoTime() - drainStart < Duration.ofMinutes(2).toNanos()) {
      requireAlive(pipeline);
      Thread.sleep(250);
      consistency = compare(server, store);
    }
    Duration drain = Duration.ofNanos(System.nanoTime() - drainStart);
    return new Result(
        written,
        achieved,
        samples,
        GcLog.parse(gcLog),
        new LiveHeap(liveEarly, liveLate),
        drain,
        consistency);
  }

  /** The store against the server's current state: every id, version, deletion and body. */
  private static ConsistencyCheck.Result compare(DemoFhirServer server, Path store) {
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(store)) {
      return ConsistencyCheck.compare(
          server.store().snapshot("Patient"), reader.readAll("Patient"));
    }
  }

  private Process startPipeline(
      DemoFhirServer server, EmbeddedKafkaBroker broker, Path store, Path gcLog)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Xlog:gc:file=" + gcLog + ":uptime");
    command.add("-jar");
    command.add(PipelineProcess.appJar().toString());
    command.add("run");
    command.addAll(List.of("--set", "source.fhir.base-url=" + server.baseUrl()));
    command.addAll(List.of("--set", "kafka.bootstrap.servers=" + broker.bootstrapServers()));
    command.addAll(List.of("--set", "store.sqlite.path=" + store));
    // The operator endpoint on a free port: a fixed one may be taken on a shared machine.
    command.addAll(List.of("--set", "ops.port=0"));
    log.printf("sustained: starting the pipeline process (-Xmx512m), log in %s%n", dataDir);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("pipeline.log").toFile())
        .start();
  }

  /** Waits until the first load of the population is in the store. */
  private void awaitStore(Path store, Process pipeline) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (count(store) < POPULATION) {
      requireAlive(pipeline);
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the first load did not finish within 2 minutes");
      }
      Thread.sleep(200);
    }
  }

  private void requireAlive(Process pipeline) {
    if (!pipeline.isAlive()) {
      throw new IllegalStateException(
          "the pipeline process exited ("
              + pipeline.exitValue()
              + "); see "
              + dataDir.resolve("pipeline.log"));
    }
  }

  private static void stop(Process pipeline) throws InterruptedException {
    pipeline.destroy();
    if (!pipeline.waitFor(30, TimeUnit.SECONDS)) {
      pipeline.destroyForcibly().waitFor();
    }
  }

  private static long count(Path store) throws SQLException {
    return queryLong(store, "SELECT count(*) FROM \"Patient\"");
  }

  /** How far the newest change in the store trails the wall clock. */
  private static long storeLagMillis(Path store) throws SQLException {
    return System.currentTimeMillis()
        - queryLong(store, "SELECT max(last_updated_ms) FROM \"Patient\"");
  }

  /** A one-off read on a connection of its own; 0 while the table does not exist yet. */
  private static long queryLong(Path store, String sql) throws SQLException {
    if (!Files.exists(store)) {
      return 0;
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + store);
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT 1 FROM sqlite_schema WHERE name = 'Patient'")) {
        if (!exists.next()) {
          return 0;
        }
      }
      try (ResultSet rows = statement.executeQuery(sql)) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  /**
   * The heap another JVM still holds after a full collection, from the total of {@code jcmd
   * GC.class_histogram} (which forces one); -1 if jcmd cannot tell. The pause it causes is one full
   * collection of a small live set, and shows in the GC figures.
   */
  static long liveHeapMb(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process process =
          new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      long total = -1;
      try (var lines = process.inputReader().lines()) {
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.startsWith("Total")) {
            String[] fields = line.trim().split("\\s+");
            total = Long.parseLong(fields[fields.length - 1]) / (1024 * 1024);
          }
        }
      }
      process.waitFor(30, TimeUnit.SECONDS);
      return total;
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** VmRSS of a process from /proc, in MB; -1 where there is no /proc. */
  static long rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}

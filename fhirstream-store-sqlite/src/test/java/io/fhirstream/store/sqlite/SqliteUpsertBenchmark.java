package io.fhirstream.store.sqlite;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures upserts per second of ~1.5 KB Patient JSON; a tool, not a test (timings in unit tests
 * only make CI flaky). Run from the repository root after {@code verify}:
 *
 * <pre>
 * java -cp "$(cat cp.txt)" io.fhirstream.store.sqlite.SqliteUpsertBenchmark [events] [batch] [full|normal] [directory]
 * </pre>
 *
 * where cp.txt holds the test classpath. Each round writes every id once as a new document, then
 * once more as a newer version (an update), flushing after every batch as the runtime does.
 */
public final class SqliteUpsertBenchmark {
  private SqliteUpsertBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    SqliteStoreConfig.Synchronous mode =
        SqliteStoreConfig.Synchronous.valueOf((args.length > 2 ? args[2] : "full").toUpperCase());
    Path directory =
        args.length > 3
            ? Files.createTempDirectory(Path.of(args[3]), "fhirstream-bench")
            : Files.createTempDirectory("fhirstream-bench");
    Path file = directory.resolve("bench.db");

    List<List<ChangeEvent>> inserts = batches(events, batchSize, 1);
    List<List<ChangeEvent>> updates = batches(events, batchSize, 2);
    long bytes = inserts.stream().flatMap(List::stream).mapToLong(e -> e.body().length).sum();
    System.out.printf(
        "%d events of %d bytes on average, batches of %d, synchronous=%s%n",
        events, bytes / events, batchSize, mode);

    try (SqliteDocumentWriter writer =
        new SqliteDocumentWriter(new SqliteStoreConfig(file, Duration.ofSeconds(5), mode))) {
      writer.open(
          () ->
              (event, reason) -> {
                throw new IllegalStateException(reason);
              });
      warmUp(writer);
      report("insert", events, run(writer, inserts));
      report("update", events, run(writer, updates));
      report("stale (not applied)", events, run(writer, inserts));
    } finally {
      try (var files = Files.list(directory)) {
        for (Path path : files.toList()) {
          Files.delete(path);
        }
      }
      Files.delete(directory);
    }
  }

  private static List<List<ChangeEvent>> batches(int events, int batchSize, int version) {
    List<List<ChangeEvent>> batches = new ArrayList<>();
    List<ChangeEvent> batch = new ArrayList<>();
    Instant lastUpdated = FhirFixtures.T0.plusSeconds(version);
    for (int i = 0; i < events; i++) {
      String id = String.format("%08x-0229-4aee-975b-c8ee68bab40b", i);
      String v = Integer.toString(version);
      batch.add(
          ChangeEvent.upsert(
              "Patient", id, v, lastUpdated, FhirFixtures.patient(id, v, lastUpdated)));
      if (batch.size() == batchSize) {
        batches.add(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  private static void warmUp(SqliteDocumentWriter writer) {
    for (List<ChangeEvent> batch : batches(20_000, 1000, 1)) {
      List<ChangeEvent> other = new ArrayList<>();
      for (ChangeEvent e : batch) {
        other.add(ChangeEvent.upsert("Warmup", e.id(), e.versionId(), e.lastUpdated(), e.body()));
      }
      writer.write(other);
      writer.flush();
    }
  }

  /** Wall and CPU nanoseconds; the CPU figure does not suffer from other load on the machine. */
  private static long[] run(SqliteDocumentWriter writer, List<List<ChangeEvent>> batches) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (List<ChangeEvent> batch : batches) {
      writer.write(batch);
      writer.flush();
    }
    return new long[] {System.nanoTime() - start, threads.getCurrentThreadCpuTime() - cpu};
  }

  private static void report(String what, int events, long[] nanos) {
    System.out.printf(
        "  %-20s %,9.0f events/s  (%,d ms wall; %,d ms CPU = %,.0f events per CPU second)%n",
        what,
        events / (nanos[0] / 1e9),
        nanos[0] / 1_000_000,
        nanos[1] / 1_000_000,
        events / (nanos[1] / 1e9));
  }
}

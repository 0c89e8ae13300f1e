package io.fhirstream.app.cli;

import io.fhirstream.app.bench.Benchmark;
import io.fhirstream.app.bench.BenchmarkReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The backfill benchmark: the pipeline's rate against each stage's ceiling, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Backfills synthetic patients from the in-process FHIR server through Kafka into SQLite, and"
          + " measures in the same run the ceiling of each stage alone (FHIR read, produce,"
          + " SQLite upsert). Prints changes/s, the pipeline's share of the slowest ceiling, heap"
          + " and RSS. Then measures change latency at a steady rate (FHIR write to store commit)."
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--patients",
      defaultValue = "100000",
      description = "Patients to backfill (default: ${DEFAULT-VALUE}).")
  int patients;

  @Option(
      names = "--data-dir",
      defaultValue = "fhirstream-data/bench",
      description = "Scratch directory, wiped first (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write the results as Markdown, e.g. docs/PERFORMANCE.md.")
  Path report;

  @Override
  public Integer call() throws Exception {
    BenchmarkReport result = new Benchmark(patients, dataDir, System.err).run();
    String markdown = result.toMarkdown();
    System.out.println(markdown);
    if (report != null) {
      Files.writeString(report, markdown);
    }
    return result.consistent() ? 0 : 1;
  }
}

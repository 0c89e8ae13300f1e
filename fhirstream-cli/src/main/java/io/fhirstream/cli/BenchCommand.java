package io.fhirstream.cli;

import io.fhirstream.bench.AnalyticsBenchmark;
import io.fhirstream.bench.Benchmark;
import io.fhirstream.bench.BenchmarkReport;
import io.fhirstream.bench.ExportBenchmark;
import io.fhirstream.bench.JpaBenchmark;
import io.fhirstream.bench.JpaReport;
import io.fhirstream.bench.LatencyBenchmark;
import io.fhirstream.bench.LatencyReport;
import io.fhirstream.bench.MarkdownSections;
import io.fhirstream.bench.PushLatencyBenchmark;
import io.fhirstream.bench.StoreBenchmark;
import io.fhirstream.bench.StoreReport;
import io.fhirstream.bench.SustainedBenchmark;
import io.fhirstream.bench.SustainedReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The benchmark: backfill against each stage's ceiling, then latency at a steady rate. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Backfills synthetic patients from the in-process FHIR server through Kafka into SQLite, and"
          + " measures in the same run the ceiling of each stage alone (FHIR read, produce, SQLite"
          + " upsert): changes/s, the pipeline's share of the slowest ceiling, heap and RSS. Then"
          + " measures change latency at a steady rate (FHIR write to store commit), with heap,"
          + " RSS and GC figures; a long run at a high rate is the sustained test."
    })
public final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--patients",
      defaultValue = "100000",
      description = "Patients to backfill; 0 skips the backfill (default: ${DEFAULT-VALUE}).")
  int patients;

  @Option(
      names = "--server",
      defaultValue = "demo",
      description =
          "demo: the in-process demo FHIR server (the backfill, latency, sustained and store runs)."
              + " jpa: a real HAPI FHIR JPA server in its own process, loaded with transaction"
              + " bundles; the first load end to end against the server's own read ceiling, then"
              + " polling latency with the types listed and with * (default: ${DEFAULT-VALUE}).")
  Server server;

  /** Which FHIR server the benchmark reads. */
  enum Server {
    demo,
    jpa
  }

  @Option(
      names = "--jpa-patients",
      defaultValue = "300",
      description =
          "With --server jpa: generated patient bundles to load, unless --synthea-dir is given"
              + " (default: ${DEFAULT-VALUE}).")
  int jpaPatients;

  @Option(
      names = "--synthea-dir",
      paramLabel = "DIR",
      description = "With --server jpa: load these Synthea transaction bundles (*.json) instead.")
  Path syntheaDir;

  @Option(
      names = "--synthea-copies",
      defaultValue = "1",
      description = "How many times each Synthea bundle is loaded (default: ${DEFAULT-VALUE}).")
  int syntheaCopies;

  @Option(
      names = "--jpa-latency-rate",
      defaultValue = "20",
      description =
          "With --server jpa: Patient updates/s of the latency runs (default: ${DEFAULT-VALUE}).")
  int jpaLatencyRate;

  @Option(
      names = "--jpa-latency-duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "With --server jpa: length of each latency run; 0s skips them (default:"
              + " ${DEFAULT-VALUE}).")
  Duration jpaLatencyDuration;

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

  @Option(
      names = "--backfill-mode",
      defaultValue = "paged",
      description =
          "paged: the backfill against each stage's ceiling; export: the same seeded server"
              + " loaded by paged search and by bulk $export, side by side (default:"
              + " ${DEFAULT-VALUE}).")
  BackfillMode backfillMode;

  /** Which backfill benchmark runs. */
  enum BackfillMode {
    paged,
    export
  }

  @Option(
      names = "--latency-rate",
      defaultValue = "1000",
      description = "Changes/s of the latency run (default: ${DEFAULT-VALUE}).")
  int latencyRate;

  @Option(
      names = "--latency-duration",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "Length of the latency run; 0s skips it (default: ${DEFAULT-VALUE}).")
  Duration latencyDuration;

  @Option(
      names = "--latency-mode",
      defaultValue = "poll",
      description =
          "poll, or push: the demo FHIR server sends rest-hook notifications to the pipeline's"
              + " endpoint, polling every 60 s as the safety net (default: ${DEFAULT-VALUE}).")
  LatencyMode latencyMode;

  /** How the latency run captures changes. */
  enum LatencyMode {
    poll,
    push
  }

  @Option(
      names = "--sustained-rate",
      defaultValue = "5000",
      description = "Changes/s of the sustained run (default: ${DEFAULT-VALUE}).")
  int sustainedRate;

  @Option(
      names = "--sustained-duration",
      defaultValue = "0s",
      converter = DurationConverter.class,
      description =
          "Length of the sustained run, with the pipeline in its own process; 0s (the default)"
              + " skips it. Give this process a large heap: the demo server keeps every version,"
              + " e.g. FHIRSTREAM_JAVA_OPTS=-Xmx8g.")
  Duration sustainedDuration;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description =
          "Also measure this store (repeatable): the sink drained from Kafka against the store's"
              + " driver alone. Connection settings come from --config / --set, e.g. --set"
              + " store.postgres.url=…; bench/stores.sh starts the test servers and does this.")
  List<String> stores = new ArrayList<>();

  @Option(
      names = "--store-documents",
      defaultValue = "50000",
      description = "Documents per store in the store comparison (default: ${DEFAULT-VALUE}).")
  int storeDocuments;

  @Option(
      names = "--analytics",
      description =
          "Benchmark the analytics role instead: a backlog of changes read by a plain consumer and"
              + " by the role (built-in views and aggregates into SQLite), then the latency from"
              + " hub arrival to aggregate document at --latency-rate for --latency-duration.")
  boolean analytics;

  @Option(
      names = "--analytics-patients",
      defaultValue = "40000",
      description =
          "Patients in the analytics backlog, 4 observations each, then a quarter as many updates"
              + " and deletions (default: ${DEFAULT-VALUE}).")
  int analyticsPatients;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    StringBuilder markdown = new StringBuilder();
    boolean consistent = true;
    if (server == Server.jpa) {
      JpaBenchmark.Result result =
          new JpaBenchmark(
                  new JpaBenchmark.Options(
                      dataDir,
                      jpaPatients,
                      syntheaDir,
                      syntheaCopies,
                      jpaLatencyRate,
                      jpaLatencyDuration),
                  System.err)
              .run();
      markdown.append(JpaReport.toMarkdown(result));
      writeReport(markdown);
      return result.consistency().consistent() ? 0 : 1;
    }
    if (analytics) {
      AnalyticsBenchmark.Result result =
          new AnalyticsBenchmark(
                  analyticsPatients,
                  latencyRate,
                  latencyDuration,
                  dataDir,
                  System.err,
                  config.raw(Map.of()))
              .run();
      markdown.append(
          AnalyticsBenchmark.toMarkdown(analyticsPatients, latencyRate, latencyDuration, result));
    } else if (patients > 0 && backfillMode == BackfillMode.export) {
      List<ExportBenchmark.Run> runs = new ExportBenchmark(patients, dataDir, System.err).run();
      markdown.append(ExportBenchmark.toMarkdown(patients, runs));
      consistent = runs.stream().allMatch(ExportBenchmark.Run::consistent);
    } else if (patients > 0) {
      BenchmarkReport result = new Benchmark(patients, dataDir, System.err).run();
      markdown.append(result.toMarkdown());
      consistent = result.consistent();
    }
    if (!latencyDuration.isZero() && !analytics) {
      if (latencyMode == LatencyMode.push) {
        PushLatencyBenchmark.Result push =
            new PushLatencyBenchmark(latencyRate, latencyDuration, dataDir, System.err).run();
        markdown.append(LatencyReport.toMarkdown(latencyRate, latencyDuration, push));
      } else {
        LatencyBenchmark.Result latency =
            new LatencyBenchmark(latencyRate, latencyDuration, dataDir, System.err).run();
        markdown.append(LatencyReport.toMarkdown(latencyRate, latencyDuration, latency));
      }
    }
    if (!sustainedDuration.isZero() && !analytics) {
      SustainedBenchmark.Result sustained =
          new SustainedBenchmark(sustainedRate, sustainedDuration, dataDir, System.err).run();
      markdown.append(SustainedReport.toMarkdown(sustainedRate, sustainedDuration, sustained));
      consistent &= sustained.consistency().consistent();
    }
    if (!stores.isEmpty() && !analytics) {
      List<StoreBenchmark.Result> results =
          new StoreBenchmark(storeDocuments, dataDir, System.err).run(stores, config.raw(Map.of()));
      markdown.append(StoreReport.toMarkdown(results));
    }
    writeReport(markdown);
    return consistent ? 0 : 1;
  }

  private void writeReport(StringBuilder markdown) throws java.io.IOException {
    System.out.println(markdown);
    if (report != null) {
      String existing = Files.exists(report) ? Files.readString(report) : "";
      Files.writeString(report, MarkdownSections.replace(existing, markdown.toString()));
    }
  }
}

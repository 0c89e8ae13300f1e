package io.fhirstream.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** The latency section of docs/PERFORMANCE.md. */
public final class LatencyReport {
  private LatencyReport() {}

  public static String toMarkdown(int rate, Duration duration, LatencyBenchmark.Result result) {
    return toMarkdown(rate, duration, result, false);
  }

  /**
   * @param push whether the run was in push mode (its own section, so both figures are kept)
   */
  public static String toMarkdown(
      int rate, Duration duration, LatencyBenchmark.Result result, boolean push) {
    if (push) {
      return section(
          String.format(
              "Push latency: %,d changes/s for %d s, push mode (rest-hook, full resource;"
                  + " safety-net polling every 60 s)",
              rate, duration.toSeconds()),
          " The demo FHIR server PUTs each resource to the endpoint (128 delivery threads),"
              + " which answers once Kafka acknowledged it.",
          "p99 ≤ 250 ms",
          250_000,
          result);
    }
    return section(
        String.format(
            "Latency: %,d changes/s for %d s, polling mode (poll interval 1 s)",
            rate, duration.toSeconds()),
        "",
        "p99 ≤ poll interval + 250 ms = 1,250 ms",
        1_250_000,
        result);
  }

  /** One latency section; only the heading, the set-up and the target differ between modes. */
  private static String section(
      String heading,
      String setUp,
      String target,
      long targetMicros,
      LatencyBenchmark.Result result) {
    Histogram micros = result.micros();
    return String.format(
        "%n## %s%n%n"
            + "From the FHIR server accepting a change to the store commit of the batch that holds"
            + " it (flushed, offsets committed), after a warm-up; %,d changes measured.%s%n%n"
            + "| from the FHIR write to | p50 | p95 | p99 | max |%n|---|---:|---:|---:|---:|%n"
            + "| the store commit | %d ms | %d ms | %d ms | %d ms |%n"
            + "| on the hub (the source's share; observed from outside the pipeline) | %d ms |"
            + " %d ms | %d ms | %d ms |%n%n"
            + "- Target: %s: **%s**%n"
            + "- Heap in use after a full GC: %d MB once warm, %d MB at the end; peak RSS %d MB%n"
            + "- GC: %,d collections, %,d ms in total, longest %d ms%n"
            + "- Changes not committed 30 s after the run: %d%n",
        heading,
        micros.getTotalCount(),
        setUp,
        micros.getValueAtPercentile(50) / 1000,
        micros.getValueAtPercentile(95) / 1000,
        micros.getValueAtPercentile(99) / 1000,
        micros.getMaxValue() / 1000,
        result.toHubMicros().getValueAtPercentile(50) / 1000,
        result.toHubMicros().getValueAtPercentile(95) / 1000,
        result.toHubMicros().getValueAtPercentile(99) / 1000,
        result.toHubMicros().getMaxValue() / 1000,
        target,
        micros.getValueAtPercentile(99) <= targetMicros ? "met" : "not met",
        result.liveHeapStartMb(),
        result.liveHeapEndMb(),
        result.peakRssMb(),
        result.gcCount(),
        result.gcTotalMillis(),
        result.gcMaxMillis(),
        result.uncommitted());
  }
}

package io.fhirstream.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** The latency section of docs/PERFORMANCE.md. */
public final class LatencyReport {
  private LatencyReport() {}

  /** The polling-mode latency section. */
  public static String toMarkdown(int rate, Duration duration, LatencyBenchmark.Result result) {
    return section(
        String.format(
            "Latency: %,d changes/s for %d s, polling mode (poll interval 1 s)",
            rate, duration.toSeconds()),
        "",
        "p99 ≤ poll interval + 250 ms = 1,250 ms",
        1_250_000,
        result);
  }

  /**
   * The push section with the FHIR side in its own process: the target applies to fhirstream's own
   * part, from a notification's arrival at the endpoint to the store commit.
   */
  public static String toMarkdown(int rate, Duration duration, PushLatencyBenchmark.Result push) {
    LatencyBenchmark.Result result = push.latency();
    Histogram arrival = push.fromArrivalMicros();
    Histogram write = result.micros();
    return String.format(
        "%n## Push latency: %,d changes/s for %d s, push mode (rest-hook, full resource;"
            + " safety-net polling every 60 s)%n%n"
            + "The demo FHIR server and the writer run in a JVM of their own (`PushWriter`); the"
            + " server PUTs each resource to the endpoint (128 delivery threads), which answers once"
            + " Kafka acknowledged it. Store commit = the sink's batch flushed and its offsets"
            + " committed; after a warm-up; %,d changes measured from the write, %,d from their"
            + " notification's arrival (%,d notifications delivered, %,d dropped by the server).%n%n"
            + "| to the store commit, from | p50 | p95 | p99 | max |%n|---|---:|---:|---:|---:|%n"
            + "| the notification's arrival at the endpoint (fhirstream's part) | %d ms | %d ms |"
            + " %d ms | %d ms |%n"
            + "| the FHIR write (includes the server's delivery) | %d ms | %d ms | %d ms | %d ms"
            + " |%n%n"
            + "- Target: p99 ≤ 250 ms from the notification's arrival: **%s**%n"
            + "- Heap in use after a full GC: %d MB once warm, %d MB at the end; peak RSS %d MB"
            + " (the pipeline's JVM)%n"
            + "- GC: %,d collections, %,d ms in total, longest %d ms%n"
            + "- Changes not committed 30 s after the run: %d%n",
        rate,
        duration.toSeconds(),
        write.getTotalCount(),
        arrival.getTotalCount(),
        push.delivered(),
        push.dropped(),
        arrival.getValueAtPercentile(50) / 1000,
        arrival.getValueAtPercentile(95) / 1000,
        arrival.getValueAtPercentile(99) / 1000,
        arrival.getMaxValue() / 1000,
        write.getValueAtPercentile(50) / 1000,
        write.getValueAtPercentile(95) / 1000,
        write.getValueAtPercentile(99) / 1000,
        write.getMaxValue() / 1000,
        arrival.getValueAtPercentile(99) <= 250_000 ? "met" : "not met",
        result.liveHeapStartMb(),
        result.liveHeapEndMb(),
        result.peakRssMb(),
        result.gcCount(),
        result.gcTotalMillis(),
        result.gcMaxMillis(),
        result.uncommitted());
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

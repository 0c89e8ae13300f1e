package io.fhirstream.app.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** The latency section of docs/PERFORMANCE.md. */
public final class LatencyReport {
  private LatencyReport() {}

  public static String toMarkdown(int rate, Duration duration, Histogram micros) {
    return String.format(
        "%n## Latency: %,d changes/s for %d s, polling mode (poll interval 1 s)%n%n"
            + "From the FHIR server accepting a change to the store commit of the batch that holds"
            + " it (flushed, offsets committed), after a warm-up; %,d changes measured.%n%n"
            + "| p50 | p95 | p99 | max |%n|---:|---:|---:|---:|%n| %d ms | %d ms | %d ms | %d ms |%n%n"
            + "- Target: p99 ≤ poll interval + 250 ms = 1,250 ms: **%s**%n",
        rate,
        duration.toSeconds(),
        micros.getTotalCount(),
        micros.getValueAtPercentile(50) / 1000,
        micros.getValueAtPercentile(95) / 1000,
        micros.getValueAtPercentile(99) / 1000,
        micros.getMaxValue() / 1000,
        micros.getValueAtPercentile(99) <= 1_250_000 ? "met" : "not met");
  }
}

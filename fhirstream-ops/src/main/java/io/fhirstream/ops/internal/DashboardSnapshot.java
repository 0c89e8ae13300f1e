package io.fhirstream.ops.internal;

import io.fhirstream.ops.DashboardSource.Aggregate;
import java.util.List;

/**
 * Everything the dashboard page shows at one moment, as {@code /api/dashboard} serves it. Counts
 * are whole numbers; latencies are milliseconds; a null number means "not known yet" (no data in
 * the window, or no such meter).
 *
 * @param time wall-clock milliseconds when it was taken
 * @param warnings parts that could not be read, said plainly for the operator
 */
public record DashboardSnapshot(
    long time,
    Totals totals,
    Rates rates,
    Series series,
    Latency latency,
    List<TopicLag> lag,
    List<TypeRow> types,
    DeadLetters deadLetters,
    List<Aggregate> aggregates,
    List<String> warnings) {

  /**
   * Totals since start-up (lag: now), summed over all tags, equal to what {@code /metrics} sums.
   */
  public record Totals(long published, long written, long deadLetters, long lag) {}

  /** Changes per second over the last {@code windowSeconds}. */
  public record Rates(int windowSeconds, Double published, Double written) {}

  /**
   * The charts: one point per {@code stepSeconds}, oldest first; {@code times} are each point's
   * end. Rates are per second over the step; latency percentiles over {@code latencyWindowSeconds}
   * before the point; lag is the value at the point.
   */
  public record Series(
      int stepSeconds,
      int latencyWindowSeconds,
      List<Long> times,
      List<Double> published,
      List<Double> written,
      List<Double> lag,
      List<Double> p50,
      List<Double> p95,
      List<Double> p99) {}

  /**
   * Write-to-store latency over the last {@code windowSeconds}.
   *
   * @param count writes in the window
   * @param source where the percentiles came from: {@code histogram} (computed here from the
   *     timer's buckets), {@code percentiles} (the timer's own), or {@code none}
   */
  public record Latency(
      int windowSeconds, long count, Double p50, Double p95, Double p99, String source) {}

  /** Consumer lag of one topic, summed over its partitions. */
  public record TopicLag(String topic, long lag, int partitions) {}

  /**
   * One resource type: captured and written since start-up, documents in the store (null when the
   * runtime does not say), first-load progress (nulls when there is none; total -1 when unknown).
   */
  public record TypeRow(
      String type, long published, long written, Long stored, Long loadDone, Long loadTotal) {}

  /** Dead letters: total, counts per reason tag, and the latest few by reason only. */
  public record DeadLetters(long total, List<ReasonCount> byReason, List<Latest> latest) {}

  public record ReasonCount(String reason, long count) {}

  /** A recent dead letter: when (wall-clock milliseconds), from which topic, and why. */
  public record Latest(long time, String topic, String reason) {}
}

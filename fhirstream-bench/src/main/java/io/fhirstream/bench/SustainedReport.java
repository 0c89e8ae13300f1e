package io.fhirstream.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The sustained-run section of docs/PERFORMANCE.md. */
public final class SustainedReport {
  private SustainedReport() {}

  public static String toMarkdown(int rate, Duration duration, SustainedBenchmark.Result result) {
    List<SustainedBenchmark.Sample> samples = result.samples();
    GcLog gc = result.gc();
    TreeMap<Long, Long> floor = gc.heapFloorPerMinute();
    // The first minute of the pipeline's life is start-up and the first load, not steady state.
    Map.Entry<Long, Long> firstSteady = floor.higherEntry(floor.firstKey());
    Map.Entry<Long, Long> last = floor.lastEntry();
    long rssFirst = samples.isEmpty() ? -1 : samples.get(Math.min(5, samples.size() - 1)).rssMb();
    long rssLast = samples.isEmpty() ? -1 : samples.get(samples.size() - 1).rssMb();
    long rssMax = samples.stream().mapToLong(SustainedBenchmark.Sample::rssMb).max().orElse(-1);
    long[] lags =
        samples.stream().mapToLong(SustainedBenchmark.Sample::storeLagMillis).sorted().toArray();
    String floorRow =
        floor.entrySet().stream().map(e -> e.getValue() + "").collect(Collectors.joining(" · "));
    return String.format(
        "%n## Sustained run: %,d changes/s for %d min, polling mode%n%n"
            + "The pipeline runs as its own process (`run`, `-Xmx512m`, G1) against the demo FHIR"
            + " server and the broker in the benchmark's process, so its figures are the"
            + " pipeline's alone. A fixed population of 10,000 patients is changed at the rate:"
            + " 94 %% updates, 3 %% deletions, 3 %% re-creations of deleted patients. Sampled"
            + " every 10 s; GC figures from the pipeline's own GC log.%n%n"
            + "| | |%n|---|---:|%n"
            + "| changes written (achieved rate) | %,d (%,.0f/s) |%n"
            + "| store behind the server, p50 / max of samples | %,d ms / %,d ms |%n"
            + "| live heap (after a full GC, `jcmd GC.class_histogram`), minute 1 → end | %d MB → %d MB |%n"
            + "| heap left after young GCs, lowest in minute %d → minute %d | %d MB → %d MB |%n"
            + "| RSS at 1 min → end (max) | %d MB → %d MB (%d MB) |%n"
            + "| GC pauses: count, total, p99, longest | %,d, %,.0f ms, %.1f ms, %.1f ms |%n"
            + "| full collections | %d |%n"
            + "| drained and checked after the run | %.1f s, %s |%n%n"
            + "Heap left after young GCs, lowest per minute of the pipeline's uptime (MB): %s."
            + " G1 leaves old-generation garbage for its mixed collections, so this floor can"
            + " drift up without anything being held; the live heap is the figure that shows a"
            + " leak.%n",
        rate,
        duration.toMinutes(),
        result.written(),
        result.achievedRate(),
        lags.length == 0 ? -1 : lags[lags.length / 2],
        lags.length == 0 ? -1 : lags[lags.length - 1],
        result.liveHeap().afterMinuteOneMb(),
        result.liveHeap().atEndMb(),
        firstSteady == null ? -1 : firstSteady.getKey(),
        last.getKey(),
        firstSteady == null ? -1 : firstSteady.getValue(),
        last.getValue(),
        rssFirst,
        rssLast,
        rssMax,
        gc.pauses().size(),
        gc.totalMillis(),
        gc.p99Millis(),
        gc.maxMillis(),
        gc.fullCollections(),
        result.drainTime().toMillis() / 1000.0,
        result.consistency().consistent()
            ? "store = server for all " + result.consistency().checked() + " patients"
            : result.consistency().differences()
                + " differences: "
                + String.join("; ", result.consistency().problems()),
        floorRow);
  }
}

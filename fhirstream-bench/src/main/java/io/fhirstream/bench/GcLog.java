package io.fhirstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pauses of another JVM, read from its unified GC log ({@code -Xlog:gc:file=…:uptime}): count,
 * total, longest, and the heap left after each collection, which is what shows growth.
 *
 * @param pauses every stop-the-world pause, in log order
 */
public record GcLog(List<Pause> pauses) {
  // [12.345s] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 150M->40M(512M) 5.123ms
  private static final Pattern PAUSE =
      Pattern.compile(
          "^\\[(\\d+\\.\\d+)s\\].*GC\\(\\d+\\) (Pause [A-Z][a-z]+).*?(\\d+)M->(\\d+)M\\((\\d+)M\\)"
              + " (\\d+\\.\\d+)ms");

  /**
   * One pause.
   *
   * @param uptimeSeconds when, in seconds since the JVM started
   * @param kind e.g. {@code Pause Young}, {@code Pause Remark}, {@code Pause Full}
   */
  public record Pause(double uptimeSeconds, String kind, long heapAfterMb, double millis) {}

  public static GcLog parse(Path file) throws IOException {
    List<Pause> pauses = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        pauses.add(
            new Pause(
                Double.parseDouble(m.group(1)),
                m.group(2).trim(),
                Long.parseLong(m.group(4)),
                Double.parseDouble(m.group(6))));
      }
    }
    return new GcLog(List.copyOf(pauses));
  }

  public double totalMillis() {
    return pauses.stream().mapToDouble(Pause::millis).sum();
  }

  public double maxMillis() {
    return pauses.stream().mapToDouble(Pause::millis).max().orElse(0);
  }

  /** The pause time that 99 % of pauses stay under. */
  public double p99Millis() {
    double[] sorted = pauses.stream().mapToDouble(Pause::millis).sorted().toArray();
    return sorted.length == 0 ? 0 : sorted[(int) Math.ceil(sorted.length * 0.99) - 1];
  }

  public long fullCollections() {
    return pauses.stream().filter(p -> p.kind().startsWith("Pause Full")).count();
  }

  /**
   * The lowest heap left after a collection in each minute of uptime: the live set plus what the
   * collector chose to keep, so a floor that keeps rising is a leak.
   */
  public TreeMap<Long, Long> heapFloorPerMinute() {
    TreeMap<Long, Long> floor = new TreeMap<>();
    for (Pause pause : pauses) {
      floor.merge((long) (pause.uptimeSeconds() / 60), pause.heapAfterMb(), Math::min);
    }
    return floor;
  }
}

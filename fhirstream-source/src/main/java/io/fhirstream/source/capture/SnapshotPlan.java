package io.fhirstream.source.capture;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code _lastUpdated} windows a parallel snapshot reads, and how far each has got. Its text
 * form is the progress a first load saves, so a restarted load reads only what is left.
 *
 * <p>Windows are handed to readers one at a time. When none is left unclaimed, a reader that is
 * free splits the claimed window with the most time left in two and takes its later half, so the
 * readers stay busy to the end however unevenly the resources are spread over time (the way Flink's
 * split enumerators re-balance). Every window is half-open, {@code [from, end)}, and together they
 * cover {@code [oldest, before)} without gaps.
 */
final class SnapshotPlan {
  private static final String VERSION = "w1";

  /** Windows narrower than this are not split: a server's {@code _lastUpdated} is milliseconds. */
  private static final Duration MIN_SPLIT = Duration.ofMillis(2);

  /** A window is split only while it seems to have more pages left than this. */
  private static final int PAGES_WORTH_SPLITTING = 3;

  /** The snapshot reads resources last updated before this; history takes over from it. */
  final Instant before;

  private final List<Window> open = new ArrayList<>(); // guarded by this

  /** One window: resources with {@code from ≤ lastUpdated < end}, read up to {@code progress}. */
  static final class Window {
    private final Instant from;
    private Instant progress; // everything before it is handed over; null: nothing yet
    private Instant end;
    private boolean claimed;
    private Duration lastPageSpan; // how far the last page moved progress; null before any

    private Window(Instant from, Instant progress, Instant end) {
      this.from = from;
      this.progress = progress;
      this.end = end;
    }

    private Instant readFrom() {
      return progress != null && progress.isAfter(from) ? progress : from;
    }

    /**
     * Whether splitting is worth it: more than {@link #PAGES_WORTH_SPLITTING} pages seem left. Each
     * split costs up to a page read twice (the reader's page in flight runs past the split).
     */
    private boolean worthSplitting() {
      Duration left = Duration.between(readFrom(), end);
      if (left.compareTo(MIN_SPLIT) < 0) {
        return false;
      }
      return lastPageSpan == null
          || left.compareTo(lastPageSpan.multipliedBy(PAGES_WORTH_SPLITTING)) > 0;
    }
  }

  private SnapshotPlan(Instant before) {
    this.before = before;
  }

  /** Splits {@code [oldest, before)} into {@code count} windows of equal duration. */
  static SnapshotPlan split(Instant oldest, Instant before, int count) {
    SnapshotPlan plan = new SnapshotPlan(before);
    long span = Math.max(0, ChronoUnit.MILLIS.between(oldest, before));
    Instant from = oldest.truncatedTo(ChronoUnit.MILLIS);
    for (int i = 1; i <= count; i++) {
      Instant end = i == count ? before : oldest.plusMillis(span * i / count);
      if (end.isAfter(from)) {
        plan.open.add(new Window(from, null, end));
        from = end;
      }
    }
    return plan;
  }

  /** A plan with nothing to read, for a type with no resources before {@code before}. */
  static SnapshotPlan empty(Instant before) {
    return new SnapshotPlan(before);
  }

  /**
   * A window for a free reader: an unclaimed one, else the later half of the claimed one with the
   * most time left; null when nothing is left worth splitting.
   */
  synchronized Window claim() {
    Window window = claimUnclaimed();
    return window != null ? window : claimSplit(true);
  }

  /** A window no reader has taken yet, or null. */
  synchronized Window claimUnclaimed() {
    for (Window window : open) {
      if (!window.claimed) {
        window.claimed = true;
        return window;
      }
    }
    return null;
  }

  /**
   * How many pages the widest window worth splitting seems to have left, among those that have read
   * a page (0 when none): lets readers shared by several types split the window with the most work
   * left, whatever its type. A window yet to read its first page is not counted: a server that
   * keeps result lists has already listed all of it, and the part split off would be read twice.
   */
  synchronized double pagesLeftToSplit() {
    Window widest = widestWorthSplitting(false);
    if (widest == null || widest.lastPageSpan.isZero()) {
      return 0;
    }
    Duration left = Duration.between(widest.readFrom(), widest.end);
    return (double) left.toNanos() / widest.lastPageSpan.toNanos();
  }

  /**
   * The later half of the claimed window with the most time left, or null.
   *
   * @param unread whether a window yet to read its first page may be split
   */
  synchronized Window claimSplit(boolean unread) {
    Window widest = widestWorthSplitting(unread);
    if (widest == null) {
      return null;
    }
    Duration left = Duration.between(widest.readFrom(), widest.end);
    Instant middle = widest.readFrom().plus(left.dividedBy(2)).truncatedTo(ChronoUnit.MILLIS);
    Window later = new Window(middle, null, widest.end);
    later.claimed = true;
    widest.end = middle;
    open.add(open.indexOf(widest) + 1, later);
    return later;
  }

  private Window widestWorthSplitting(boolean unread) {
    return open.stream()
        .filter(w -> w.claimed && w.worthSplitting() && (unread || w.lastPageSpan != null))
        .max(Comparator.comparing(w -> Duration.between(w.readFrom(), w.end)))
        .orElse(null);
  }

  /** Where the next page of a window starts. */
  synchronized Instant readFrom(Window window) {
    return window.readFrom();
  }

  /** Where a window ends now: a split may have moved it earlier since it was claimed. */
  synchronized Instant end(Window window) {
    return window.end;
  }

  /** Everything in the window before {@code progress} has been handed over. */
  synchronized void advanced(Window window, Instant progress) {
    if (window.progress == null || progress.isAfter(window.progress)) {
      window.lastPageSpan = Duration.between(window.readFrom(), progress);
      window.progress = progress;
    }
  }

  /**
   * The window's last page has been handed over. Its end can only have moved earlier since that
   * page was asked for (by a split), so the whole window is read.
   *
   * @return whether that was the last window: the snapshot is complete
   */
  synchronized boolean finished(Window window) {
    open.remove(window);
    return open.isEmpty();
  }

  synchronized boolean complete() {
    return open.isEmpty();
  }

  synchronized int windowsLeft() {
    return open.size();
  }

  /** The text to save: {@code w1;before;from~progress~end;…} with {@code -} for no progress. */
  synchronized String save() {
    StringBuilder text = new StringBuilder(VERSION).append(';').append(before);
    for (Window w : open) {
      text.append(';')
          .append(w.from)
          .append('~')
          .append(w.progress == null ? "-" : w.progress)
          .append('~')
          .append(w.end);
    }
    return text.toString();
  }

  /** Reads {@link #save()}'s text; null for anything else (e.g. an older version's progress). */
  static SnapshotPlan parse(String text) {
    String[] parts = text.split(";");
    if (parts.length < 2 || !parts[0].equals(VERSION)) {
      return null;
    }
    SnapshotPlan plan = new SnapshotPlan(Instant.parse(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      String[] fields = parts[i].split("~");
      plan.open.add(
          new Window(
              Instant.parse(fields[0]),
              fields[1].equals("-") ? null : Instant.parse(fields[1]),
              Instant.parse(fields[2])));
    }
    return plan;
  }
}

package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A first load that reads the current resources of a type by {@code _lastUpdated} search in
 * disjoint time windows, several at once: a FHIR server answers a few readers of disjoint windows
 * faster than one reader paging through all of it. The windows are planned once, {@code [oldest,
 * before)} with {@code before} the server's clock at the start less the safety lag, and saved, so a
 * restarted load reads only what is left. History takes over from {@code before}: whatever changed
 * after it, or moved out of an unread window by being updated, is read there.
 *
 * <p>Each window is read by a {@link RangeReader}: every resource version once, following the
 * server's links where {@link SearchPaging} trusts them. The readers, and the budget of requests
 * out at once, are shared with the other types' snapshots ({@link SnapshotReaders}).
 */
public final class WindowedSnapshot implements Backfill {
  private static final Logger LOG = LoggerFactory.getLogger(WindowedSnapshot.class);

  /** At most this many windows per request allowed: spares keep readers busy without splits. */
  private static final int WINDOWS_PER_READER = 4;

  /** A window is planned for about this many pages: fewer windows for a small type. */
  private static final int PAGES_PER_WINDOW = 2;

  /** Progress is saved at most this often: a restart re-reads at most this much, and no more. */
  private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);

  private final CrawlTarget target;
  private final SnapshotReaders readers;
  private final SearchPaging paging;
  private long lastSave; // guarded by the plan being read

  /**
   * A snapshot with readers of its own.
   *
   * @param parallelism how many requests are out at once, at most
   */
  public WindowedSnapshot(CrawlTarget target, int parallelism) {
    this(target, new SnapshotReaders(parallelism, target.http()), SearchPaging.AUTO);
  }

  /**
   * @param readers shared with the snapshots of other types of the same server
   */
  public WindowedSnapshot(CrawlTarget target, SnapshotReaders readers, SearchPaging paging) {
    this.target = target;
    this.readers = readers;
    this.paging = paging;
  }

  @Override
  public Instant load(String saved, ProgressHandler handler) {
    SnapshotPlan plan = saved == null ? null : SnapshotPlan.parse(saved);
    if (plan == null) {
      plan = plan(handler);
      handler.accept(List.of(), plan.save()); // the plan first: `before` must not move on restart
      lastSave = System.nanoTime();
    } else {
      LOG.info(
          "{}: resuming the snapshot, {} windows left", target.resourceType(), plan.windowsLeft());
      handler.total(count(plan.before));
    }
    if (!plan.complete()) {
      readAll(plan, handler);
    }
    return plan.before;
  }

  /**
   * Asks the server for its oldest resource and its clock, and splits the time between into
   * windows, as many as the type's size calls for (its count, which also tells the handler).
   */
  private SnapshotPlan plan(ProgressHandler handler) {
    FhirResponse response =
        readers.get(target.http(), SearchCrawler.query(target, null, null, 1), false);
    Instant before =
        WindowOrder.end(null, response.serverDate(), target.clock().instant(), target.safetyLag());
    Instant oldest =
        BundleReader.read(response.body(), target.resourceType()).events().stream()
            .map(ChangeEvent::lastUpdated)
            .filter(t -> t != null)
            .findFirst()
            .orElse(null);
    if (oldest == null || !oldest.isBefore(before)) {
      handler.total(0);
      return SnapshotPlan.empty(before);
    }
    long total = count(before);
    handler.total(total);
    return SnapshotPlan.split(oldest, before, windows(total));
  }

  /** Windows for a type of {@code total} resources ({@code -1}: unknown). */
  private int windows(long total) {
    int most = readers.parallelism() * WINDOWS_PER_READER;
    if (total < 0) {
      return most;
    }
    long pages = (total + target.pageSize() - 1) / target.pageSize();
    return (int) Math.max(1, Math.min(most, pages / PAGES_PER_WINDOW));
  }

  /**
   * How many resources were last updated before {@code before}, by {@code _summary=count}; -1 when
   * the server does not say.
   */
  private long count(Instant before) {
    URI uri =
        URI.create(
            target.http().base()
                + "/"
                + target.resourceType()
                + "?_summary=count&_lastUpdated=lt"
                + DateTimeFormatter.ISO_INSTANT.format(before));
    return BundleReader.total(readers.get(target.http(), uri, false).body());
  }

  private void readAll(SnapshotPlan plan, ProgressHandler handler) {
    AtomicLong read = new AtomicLong();
    AtomicLong handed = new AtomicLong();
    long started = System.nanoTime();
    readers.readAll(
        new SnapshotReaders.Work() {
          @Override
          public SnapshotPlan plan() {
            return plan;
          }

          @Override
          public void read(SnapshotPlan.Window window) {
            RangeReader reader =
                new RangeReader(
                    target,
                    paging,
                    (uri, link) -> readers.get(target.http(), uri, link),
                    plan.before);
            try {
              reader.read(
                  plan.readFrom(window),
                  () -> plan.end(window),
                  (events, progress) -> {
                    handler.accept(events, null);
                    if (progress != null) {
                      plan.advanced(window, progress);
                      saveProgress(plan, handler);
                    }
                  });
            } finally {
              read.addAndGet(reader.entriesRead());
              handed.addAndGet(reader.handedOver());
            }
            plan.finished(window);
            saveProgress(plan, handler);
          }
        });
    LOG.info(
        "{}: snapshot handed over {} resources, read {} entries, in {} ms",
        target.resourceType(),
        handed.get(),
        read.get(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Hands the plan over to be saved, at most once per {@link #SAVE_INTERVAL}: each save is a
   * durable write. Under the plan's lock, so saves are made in the order the plan changed.
   */
  private void saveProgress(SnapshotPlan plan, ProgressHandler handler) {
    synchronized (plan) {
      long now = System.nanoTime();
      if (now - lastSave < SAVE_INTERVAL.toNanos()) {
        return;
      }
      handler.accept(List.of(), plan.save());
      lastSave = now;
    }
  }
}

package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Each window is paged by keyset as {@link SearchCrawler} does. How many requests are out at
 * once is bounded by the parallelism and halved whenever the server answers 429 ({@link
 * ThrottleGate}).
 */
public final class WindowedSnapshot implements Backfill {
  private static final Logger LOG = LoggerFactory.getLogger(WindowedSnapshot.class);

  /** Windows planned per reader: spares keep readers busy before any window needs splitting. */
  private static final int WINDOWS_PER_READER = 4;

  /**
   * Reader threads per request allowed out: while one waits for the hub to acknowledge its page,
   * another has the server read the next, so reading and publishing overlap. The {@link
   * ThrottleGate} still bounds the requests the server sees at the parallelism.
   */
  private static final int THREADS_PER_REQUEST = 2;

  /** Progress is saved at most this often: a restart re-reads at most this much, and no more. */
  private static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);

  private final CrawlTarget target;
  private final int parallelism;
  private long lastSave; // guarded by the plan being read

  /**
   * @param parallelism how many windows are read at once, at most
   */
  public WindowedSnapshot(CrawlTarget target, int parallelism) {
    this.target = target;
    this.parallelism = parallelism;
  }

  @Override
  public Instant load(String saved, ProgressHandler handler) {
    SnapshotPlan plan = saved == null ? null : SnapshotPlan.parse(saved);
    if (plan == null) {
      plan = plan();
      handler.accept(List.of(), plan.save()); // the plan first: `before` must not move on restart
      lastSave = System.nanoTime();
    } else {
      LOG.info(
          "{}: resuming the snapshot, {} windows left", target.resourceType(), plan.windowsLeft());
    }
    if (!plan.complete()) {
      readAll(plan, handler);
    }
    return plan.before;
  }

  /** Asks the server for its oldest resource and its clock, and splits the time between. */
  private SnapshotPlan plan() {
    FhirResponse response = target.http().get(SearchCrawler.query(target, null, null, 1));
    Instant before =
        WindowOrder.end(null, response.serverDate(), target.clock().instant(), target.safetyLag());
    Instant oldest =
        BundleReader.read(response.body(), target.resourceType()).events().stream()
            .map(ChangeEvent::lastUpdated)
            .filter(t -> t != null)
            .findFirst()
            .orElse(null);
    if (oldest == null || !oldest.isBefore(before)) {
      return SnapshotPlan.empty(before);
    }
    return SnapshotPlan.split(oldest, before, parallelism * WINDOWS_PER_READER);
  }

  private void readAll(SnapshotPlan plan, ProgressHandler handler) {
    AtomicInteger threads = new AtomicInteger();
    int readerThreads = parallelism * THREADS_PER_REQUEST;
    ExecutorService readers =
        Executors.newFixedThreadPool(
            readerThreads,
            task -> {
              Thread thread =
                  new Thread(
                      task,
                      "fhirstream-snapshot-"
                          + target.resourceType()
                          + "-"
                          + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    ThrottleGate gate = new ThrottleGate(parallelism, target.http().throttledCount());
    AtomicLong read = new AtomicLong();
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < readerThreads; i++) {
        running.add(readers.submit(() -> readWindows(plan, gate, handler, read)));
      }
      for (Future<?> reader : running) {
        reader.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException("a snapshot reader failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted during the snapshot");
    } finally {
      readers.shutdownNow(); // after a failure, the other readers stop too; their work is saved
    }
    LOG.info(
        "{}: snapshot read {} resources in {} ms with up to {} readers",
        target.resourceType(),
        read.get(),
        (System.nanoTime() - started) / 1_000_000,
        parallelism);
  }

  private void readWindows(
      SnapshotPlan plan, ThrottleGate gate, ProgressHandler handler, AtomicLong read) {
    for (SnapshotPlan.Window window = plan.claim(); window != null; window = plan.claim()) {
      readWindow(plan, window, gate, handler, read);
    }
  }

  private void readWindow(
      SnapshotPlan plan,
      SnapshotPlan.Window window,
      ThrottleGate gate,
      ProgressHandler handler,
      AtomicLong read) {
    Instant keyset = plan.readFrom(window);
    FhirResponse response = get(gate, query(keyset, plan.end(window)), false);
    while (true) {
      BundlePage page = BundleReader.read(response.body(), target.resourceType());
      handler.accept(WindowOrder.distinctOldestFirst(page.events()), null);
      read.addAndGet(page.events().size());
      if (page.next() == null) {
        plan.finished(window);
        saveProgress(plan, handler);
        return;
      }
      // Pages come oldest first: every resource before the newest one seen is handed over.
      Instant newest = SearchCrawler.newest(page.events());
      if (newest != null) {
        plan.advanced(window, newest);
        saveProgress(plan, handler);
      }
      Instant end = plan.end(window); // a split may have moved it earlier
      if (newest != null && newest.isAfter(keyset)) {
        keyset = newest;
        if (!keyset.isBefore(end)) {
          plan.finished(window);
          saveProgress(plan, handler);
          return;
        }
        response = get(gate, query(keyset, end), false);
      } else {
        // A whole page shares one timestamp: only the server's link gets past it.
        response = get(gate, page.next(), true);
      }
    }
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

  private URI query(Instant since, Instant before) {
    return SearchCrawler.query(target, since, before, target.pageSize());
  }

  private FhirResponse get(ThrottleGate gate, URI uri, boolean serverLink) {
    gate.enter();
    try {
      return serverLink ? target.http().getLinked(uri) : target.http().get(uri);
    } finally {
      gate.leave(target.http().throttledCount());
    }
  }
}

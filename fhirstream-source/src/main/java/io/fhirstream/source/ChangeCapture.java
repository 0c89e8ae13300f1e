package io.fhirstream.source;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.source.capture.Backfill;
import io.fhirstream.source.capture.Crawler;
import io.fhirstream.source.capture.InitialLoad;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture loop: for each resource type, crawl a window since the cursor, publish it, wait for
 * the hub's acknowledgement, and only then commit the cursor. A crash at any point re-reads changes
 * already published (the sink is idempotent) and never skips one.
 *
 * <p>Types are not taken in turn: the first loads of every type without a cursor run side by side
 * (their readers share one budget of requests, see {@code SnapshotReaders}), then each poll reads
 * every type at once — with one system-level history crawl for the types it covers, and several
 * type-level crawls at a time for the rest.
 */
public final class ChangeCapture implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);

  private final String sourceId;
  private final Map<String, Crawler> crawlers;
  private final Map<String, Backfill> backfills;
  private final EventPublisher publisher;
  private final CursorStore cursors;
  private final Duration pollInterval;
  private final MeterRegistry metrics;
  private final Map<String, Instant> positions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Instant>> publishedAhead = new ConcurrentHashMap<>();
  private final Map<String, Counter> published = new HashMap<>();
  private final Map<String, FirstLoadProgress> progress = new ConcurrentHashMap<>();

  /** Reads the types of {@link #systemTypes} in one crawl; null for none. */
  private volatile Crawler systemCrawler;

  private volatile Set<String> systemTypes = Set.of();

  private final TypesAtOnce pollers = new TypesAtOnce("poll");
  private final TypesAtOnce firstLoaders = new TypesAtOnce("first-load");

  /** How many types are crawled at once. */
  private volatile int pollsAtOnce = 1;

  /** How many types' first loads run side by side (their requests have a budget of their own). */
  private volatile int firstLoadsAtOnce = 1;

  /** Suffix of the cursor key that tracks an unfinished first load. */
  private static final String FIRST_LOAD = "#first-load";

  /**
   * How far before its start a first load's history takeover begins: covers clock skew between this
   * host and the FHIR server, and writes still committing when the load began.
   */
  private static final Duration FIRST_LOAD_MARGIN = Duration.ofMinutes(5);

  private volatile boolean running = true;

  /** Runs first for the types without a cursor, e.g. bulk $export; null for none. */
  private volatile InitialLoad initialLoad;

  /** Released by {@link #pollNow()} to cut the pause between polls short. */
  private final Semaphore pollRequests = new Semaphore(0);

  /**
   * @param sourceId names the FHIR server in cursor keys, so one hub can hold several servers'
   *     cursors
   * @param crawlers one per resource type, in the order they are polled
   * @param backfills for the types whose first load (no cursor yet) reads differently, e.g. a
   *     snapshot by search before history takes over
   */
  public ChangeCapture(
      String sourceId,
      Map<String, Crawler> crawlers,
      Map<String, Backfill> backfills,
      EventPublisher publisher,
      CursorStore cursors,
      Duration pollInterval,
      MeterRegistry metrics) {
    this.sourceId = sourceId;
    this.crawlers = new LinkedHashMap<>(crawlers);
    this.backfills = Map.copyOf(backfills);
    this.publisher = publisher;
    this.cursors = cursors;
    this.pollInterval = pollInterval;
    this.metrics = metrics;
    for (String type : crawlers.keySet()) {
      published.put(
          type,
          Counter.builder("fhirstream.source.published")
              .description("Changes published to the event hub and acknowledged")
              .tag("type", type)
              .register(metrics));
      publishedAhead.put(type, new HashMap<>());
    }
  }

  @Override
  public void run() {
    crawlers.keySet().forEach(this::loadCursor);
    Duration retryDelay = Duration.ZERO;
    while (running) {
      try {
        if (runInitialLoad() || runFirstLoads()) {
          continue;
        }
        long started = System.nanoTime();
        boolean caughtUp = pollAll();
        retryDelay = Duration.ZERO;
        if (caughtUp) {
          // Polls start every interval (fixed rate), not an interval after the last one ended:
          // a change waits at most one interval, however long the crawl took.
          pause(pollInterval.minusNanos(System.nanoTime() - started));
        }
      } catch (CancellationException e) {
        break;
      } catch (RetriableException e) {
        // The cursor did not move, so the next poll re-reads this window: nothing is lost.
        retryDelay = retryDelay.isZero() ? Duration.ofSeconds(1) : min(retryDelay.multipliedBy(2));
        LOG.warn("capture paused: {}; retrying in {} s", e.getMessage(), retryDelay.toSeconds());
        sleep(retryDelay);
      }
    }
    pollers.close();
    firstLoaders.close();
  }

  /**
   * Sets a first load that runs before polling for the types without a cursor (call before {@link
   * #run()}); it commits their cursors through this loop (durably, only forward), after which
   * polling continues from them.
   */
  public ChangeCapture initialLoad(InitialLoad load) {
    this.initialLoad = load;
    return this;
  }

  /**
   * Reads the changes of {@code types} with one crawl of its own (e.g. system-level history), not
   * one per type; call before {@link #run()}. A type is read this way once it has a cursor.
   */
  public ChangeCapture systemCrawler(Crawler crawler, Set<String> types) {
    this.systemCrawler = crawler;
    this.systemTypes = Set.copyOf(types);
    return this;
  }

  /**
   * How many types are crawled at once, and how many types' first loads run side by side (default 1
   * and 1: in turn); call before {@link #run()}.
   */
  public ChangeCapture typesAtOnce(int polls, int firstLoads) {
    if (polls < 1 || firstLoads < 1) {
      throw new IllegalArgumentException("types at once must be at least 1");
    }
    this.pollsAtOnce = polls;
    this.firstLoadsAtOnce = firstLoads;
    return this;
  }

  /** Runs the initial load if one is set and some type has no cursor; true if it ran. */
  private boolean runInitialLoad() {
    List<String> missing =
        crawlers.keySet().stream().filter(type -> !positions.containsKey(type)).toList();
    if (initialLoad == null || missing.isEmpty()) {
      return false;
    }
    initialLoad.load(missing, this::commitIfAdvanced, () -> running);
    return true;
  }

  /** Stops the loop after the current step; the cursor stays at its last committed position. */
  public void stop() {
    running = false;
  }

  /**
   * Asks for the next poll to start now rather than after the poll interval, e.g. when a FHIR
   * server notifies a change without saying which resource. Returns at once; thread-safe.
   */
  public void pollNow() {
    pollRequests.release();
  }

  /** The committed cursor of a type, or null before the first commit. */
  public Instant cursor(String type) {
    return positions.get(type);
  }

  /**
   * One poll of every type: the types the system crawler covers in one crawl, the others a few at a
   * time.
   *
   * @return whether every type has caught up
   */
  boolean pollAll() {
    List<String> ownCrawls = new ArrayList<>();
    boolean system = false;
    for (String type : crawlers.keySet()) {
      if (systemCrawler != null && systemTypes.contains(type) && positions.containsKey(type)) {
        system = true;
      } else {
        ownCrawls.add(type);
      }
    }
    boolean caughtUp = !system || pollSystem();
    List<Boolean> results = pollers.run(ownCrawls, pollsAtOnce, this::pollOnce);
    return caughtUp && !results.contains(false);
  }

  /**
   * One crawl of one type: each batch is published and acknowledged before any cursor it allows is
   * committed.
   *
   * @return whether the type has caught up (the crawl handed over at most one batch)
   */
  boolean pollOnce(String type) {
    Instant since = positions.get(type);
    if (since == null && backfills.containsKey(type)) {
      firstLoad(type);
      return false;
    }
    Map<String, Instant> ahead = publishedAhead.get(type);
    int[] batches = {0};
    Instant end =
        crawlers
            .get(type)
            .crawl(
                since,
                (events, committable) -> {
                  batches[0]++;
                  publish(type, events, ahead);
                  if (committable != null) {
                    commitIfAdvanced(type, committable);
                  }
                });
    commitIfAdvanced(type, end);
    return batches[0] <= 1;
  }

  /**
   * One crawl of every type the system crawler covers, from the oldest of their cursors. A type
   * whose cursor is further on drops the changes before it: they were published before it moved.
   */
  private boolean pollSystem() {
    List<String> types = new ArrayList<>();
    Instant since = null;
    for (String type : systemTypes) {
      Instant cursor = positions.get(type);
      if (cursor != null) {
        types.add(type);
        since = since == null || cursor.isBefore(since) ? cursor : since;
      }
    }
    int[] batches = {0};
    Instant end =
        systemCrawler.crawl(
            since,
            (events, committable) -> {
              batches[0]++;
              publishByType(types, events);
              if (committable != null) {
                commitAllIfAdvanced(types, committable);
              }
            });
    commitAllIfAdvanced(types, end);
    return batches[0] <= 1;
  }

  /** Publishes the events of several types as one batch: one acknowledgement to wait for. */
  private void publishByType(List<String> types, List<ChangeEvent> events) {
    Map<String, List<ChangeEvent>> byType = new LinkedHashMap<>();
    for (ChangeEvent event : events) {
      Instant cursor = positions.get(event.resourceType());
      if (types.contains(event.resourceType())
          && (event.lastUpdated() == null || !event.lastUpdated().isBefore(cursor))) {
        byType.computeIfAbsent(event.resourceType(), t -> new ArrayList<>()).add(event);
      }
    }
    Map<String, List<ChangeEvent>> fresh = new LinkedHashMap<>();
    List<ChangeEvent> all = new ArrayList<>();
    byType.forEach(
        (type, list) -> {
          List<ChangeEvent> unpublished = unpublished(list, publishedAhead.get(type));
          fresh.put(type, unpublished);
          all.addAll(unpublished);
        });
    publisher.publish(all);
    fresh.forEach((type, list) -> published(type, list, publishedAhead.get(type)));
  }

  /**
   * The first loads of every type without a cursor that has a backfill, side by side; true if any
   * ran.
   */
  private boolean runFirstLoads() {
    List<String> missing =
        crawlers.keySet().stream()
            .filter(type -> !positions.containsKey(type) && backfills.containsKey(type))
            .toList();
    if (missing.isEmpty()) {
      return false;
    }
    firstLoaders.run(
        missing,
        firstLoadsAtOnce,
        type -> {
          firstLoad(type);
          return true;
        });
    return true;
  }

  /**
   * The first load of a type by snapshot (current resources only), resumable. A snapshot cannot see
   * deletions, so if an earlier attempt crashed after publishing part of a snapshot, a resource it
   * published may since have been deleted. So the time the <i>first</i> attempt began is made
   * durable before anything is published, the load's progress is kept beside it, and once the
   * snapshot is complete a resumed load sets the cursor back to that time: history then re-reads
   * every change since, deletions included.
   */
  private void firstLoad(String type) {
    String key = cursorKey(type) + FIRST_LOAD;
    FirstLoad saved = cursors.load(key).map(FirstLoad::parse).orElse(null);
    boolean startedHere = saved == null;
    FirstLoad state =
        saved != null ? saved : new FirstLoad(Instant.now().minus(FIRST_LOAD_MARGIN), 0, null);
    if (startedHere) {
      LOG.info("{}: first load by snapshot, then history from {}", type, state.started());
    } else {
      LOG.info("{}: resuming an interrupted first load", type);
    }
    Instant started = state.started();
    FirstLoadProgress gauges =
        progress.computeIfAbsent(type, t -> new FirstLoadProgress(t, metrics));
    gauges.start(state.done());
    // The start is made durable before anything is published, and not at all for an empty type.
    boolean[] durable = {!startedHere};
    Object lock = new Object();
    Backfill.ProgressHandler handler =
        new Backfill.ProgressHandler() {
          @Override
          public void accept(List<ChangeEvent> events, String saveAs) {
            synchronized (lock) {
              if (!durable[0]) {
                cursors.commit(key, state.toString());
                durable[0] = true;
              }
            }
            // Not remembered as published ahead: history re-reads from the start anyway.
            gauges.published(publish(type, events, new HashMap<>()));
            if (saveAs != null) {
              cursors.commit(key, new FirstLoad(started, gauges.done(), saveAs).toString());
            }
          }

          @Override
          public void total(long resources) {
            gauges.total(resources);
          }
        };
    Instant end = backfills.get(type).load(state.progress(), handler);
    // Uninterrupted, this snapshot published only what it read, and history from its end sees
    // every later deletion; resumed, an earlier attempt may have published more.
    boolean resumed = !startedHere;
    commitIfAdvanced(type, resumed && started.isBefore(end) ? started : end);
    gauges.complete();
  }

  /**
   * Where an interrupted first load stands: when it first began, and the progress its backfill
   * saved (opaque here).
   */
  private record FirstLoad(Instant started, long done, String progress) {
    /**
     * {@code started|done|progress}; also reads {@code started|progress} (before done was kept).
     */
    static FirstLoad parse(String text) {
      String[] parts = text.split("\\|", 3);
      Instant started = Instant.parse(parts[0]);
      if (parts.length == 3 && parts[1].matches("\\d+")) {
        return new FirstLoad(started, Long.parseLong(parts[1]), parts[2]);
      }
      return new FirstLoad(
          started, 0, parts.length > 1 ? text.substring(parts[0].length() + 1) : null);
    }

    @Override
    public String toString() {
      return started + (progress == null ? "" : "|" + done + "|" + progress);
    }
  }

  /**
   * Publishes a batch and waits for the hub's acknowledgement of it. A backfill calls this from
   * several threads at once, each with an {@code ahead} map of its own.
   *
   * @return how many events were published (those not published ahead before)
   */
  private int publish(String type, List<ChangeEvent> events, Map<String, Instant> ahead) {
    if (events.isEmpty()) {
      return 0;
    }
    List<ChangeEvent> fresh = unpublished(events, ahead);
    publisher.publish(fresh);
    published(type, fresh, ahead);
    return fresh.size();
  }

  private static List<ChangeEvent> unpublished(
      List<ChangeEvent> events, Map<String, Instant> ahead) {
    List<ChangeEvent> fresh = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      if (!ahead.containsKey(versionKey(event))) {
        fresh.add(event);
      }
    }
    return fresh;
  }

  /** After the hub acknowledged them: counts the events and remembers those ahead of the cursor. */
  private void published(String type, List<ChangeEvent> fresh, Map<String, Instant> ahead) {
    published.get(type).increment(fresh.size());
    rememberPublishedAhead(ahead, fresh, positions.get(type));
    if (!fresh.isEmpty()) {
      LOG.debug("{}: published {} changes", type, fresh.size());
    }
  }

  /**
   * Commits the cursors of several types, durably and together (one round trip to the hub, however
   * many types: a poll of every type would otherwise wait for one each), where they move forward.
   * Called only after what they cover is acked.
   */
  private void commitAllIfAdvanced(List<String> types, Instant cursor) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String type : types) {
      Instant current = positions.get(type);
      if (current == null || cursor.isAfter(current)) {
        keys.put(cursorKey(type), cursor.toString());
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    cursors.commitAll(keys);
    for (String type : types) {
      Instant current = positions.get(type);
      if (current == null || cursor.isAfter(current)) {
        positions.put(type, cursor);
        publishedAhead.get(type).values().removeIf(lastUpdated -> lastUpdated.isBefore(cursor));
      }
    }
  }

  /** Commits a cursor, durably, if it moves forward. Called only after what it covers is acked. */
  private void commitIfAdvanced(String type, Instant cursor) {
    Instant current = positions.get(type);
    if (current == null || cursor.isAfter(current)) {
      cursors.commit(cursorKey(type), cursor.toString());
      positions.put(type, cursor);
      publishedAhead.get(type).values().removeIf(lastUpdated -> lastUpdated.isBefore(cursor));
    }
  }

  /**
   * Events at or after the cursor will be read again by the next crawl; remember them so they are
   * not published twice while this instance lives (after a restart they are, harmlessly).
   */
  private static void rememberPublishedAhead(
      Map<String, Instant> ahead, List<ChangeEvent> fresh, Instant cursor) {
    for (ChangeEvent event : fresh) {
      if (event.lastUpdated() != null
          && (cursor == null || !event.lastUpdated().isBefore(cursor))) {
        ahead.put(versionKey(event), event.lastUpdated());
      }
    }
  }

  private void loadCursor(String type) {
    cursors
        .load(cursorKey(type))
        .ifPresentOrElse(
            position -> {
              positions.put(type, Instant.parse(position));
              LOG.info("{}: resuming capture from {}", type, position);
            },
            () -> LOG.info("{}: no cursor yet, starting with a full backfill", type));
  }

  private String cursorKey(String type) {
    return sourceId + "|" + type;
  }

  private static String versionKey(ChangeEvent event) {
    return event.id() + '/' + event.versionId();
  }

  private static Duration min(Duration d) {
    Duration max = Duration.ofSeconds(30);
    return d.compareTo(max) > 0 ? max : d;
  }

  /** The pause between polls, which {@link #pollNow()} cuts short (a retry delay it does not). */
  private void pause(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      if (pollRequests.tryAcquire(duration.toMillis(), TimeUnit.MILLISECONDS)) {
        pollRequests.drainPermits(); // one poll answers every request made so far
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void sleep(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}

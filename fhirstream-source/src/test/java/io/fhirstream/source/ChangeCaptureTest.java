package io.fhirstream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.source.capture.Backfill;
import io.fhirstream.source.capture.Crawler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The capture loop's one rule: a cursor moves only after what it covers is acknowledged. */
class ChangeCaptureTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  private final List<ChangeEvent> sent = new ArrayList<>();
  private final List<ChangeEvent> acknowledged = new ArrayList<>();
  private final Map<String, String> committed = new java.util.concurrent.ConcurrentHashMap<>();
  private boolean failNextFlush;

  private final EventPublisher publisher =
      new EventPublisher() {
        @Override
        public synchronized void send(ChangeEvent event) {
          sent.add(event);
        }

        @Override
        public synchronized void publish(List<ChangeEvent> batch) {
          batch.forEach(this::send);
          flush();
        }

        @Override
        public synchronized void flush() {
          if (failNextFlush) {
            failNextFlush = false;
            sent.clear();
            throw new RetriableException("broker unavailable");
          }
          acknowledged.addAll(sent);
          sent.clear();
        }
      };

  private final CursorStore cursors =
      new CursorStore() {
        @Override
        public Optional<String> load(String key) {
          return Optional.ofNullable(committed.get(key));
        }

        @Override
        public synchronized void commit(String key, String position) {
          committed.put(key, position);
        }
      };

  private static ChangeEvent patient(String id, String version, long seconds) {
    return ChangeEvent.upsert(
        "Patient", id, version, T0.plusSeconds(seconds), "{}".getBytes(StandardCharsets.UTF_8));
  }

  private ChangeCapture capture(Crawler crawler, Backfill backfill) {
    return new ChangeCapture(
        "fhir",
        Map.of("Patient", crawler),
        backfill == null ? Map.of() : Map.of("Patient", backfill),
        publisher,
        cursors,
        Duration.ofMillis(1),
        new SimpleMeterRegistry());
  }

  private static ChangeEvent event(String type, String id, String version, long seconds) {
    return ChangeEvent.upsert(
        type, id, version, T0.plusSeconds(seconds), "{}".getBytes(StandardCharsets.UTF_8));
  }

  private ChangeCapture capture(
      Map<String, Crawler> crawlers, Map<String, Backfill> backfills, SimpleMeterRegistry metrics) {
    return new ChangeCapture(
        "fhir", crawlers, backfills, publisher, cursors, Duration.ofMillis(1), metrics);
  }

  @Test
  void oneSystemCrawlPublishesEveryTypeAndEachDropsWhatPrecedesItsCursor() throws Exception {
    committed.put("fhir|Patient", T0.plusSeconds(10).toString());
    committed.put("fhir|Observation", T0.plusSeconds(20).toString());
    List<Instant> systemSince = new ArrayList<>();
    Crawler system =
        (since, handler) -> {
          systemSince.add(since);
          handler.accept(
              List.of(
                  event("Patient", "p", "2", 12),
                  event("Observation", "o", "1", 15), // before Observation's cursor: dropped
                  event("Observation", "o", "2", 22),
                  event("Encounter", "e", "1", 23)), // not a type of this crawl
              null);
          return T0.plusSeconds(30);
        };
    Crawler never =
        (since, handler) -> {
          throw new AssertionError("no type-level crawl for a type the system crawl covers");
        };
    Map<String, Crawler> crawlers = new java.util.LinkedHashMap<>();
    crawlers.put("Patient", never);
    crawlers.put("Observation", never);
    ChangeCapture capture =
        capture(crawlers, Map.of(), new SimpleMeterRegistry())
            .systemCrawler(system, java.util.Set.of("Patient", "Observation"));
    Thread thread = new Thread(capture);
    thread.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!T0.plusSeconds(30).toString().equals(committed.get("fhir|Observation"))
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    capture.stop();
    // The loop may be in its next crawl: the lists are read once it has returned.
    thread.join(10_000);

    assertThat(thread.isAlive()).as("capture stopped").isFalse();
    assertThat(systemSince.get(0)).as("from the oldest cursor").isEqualTo(T0.plusSeconds(10));
    assertThat(acknowledged)
        .extracting(e -> e.resourceType() + "/" + e.id() + "/" + e.versionId())
        .startsWith("Patient/p/2", "Observation/o/2")
        .doesNotContain("Observation/o/1", "Encounter/e/1");
    assertThat(committed)
        .containsEntry("fhir|Patient", T0.plusSeconds(30).toString())
        .containsEntry("fhir|Observation", T0.plusSeconds(30).toString());
  }

  @Test
  void firstLoadsOfSeveralTypesRunSideBySide() throws Exception {
    java.util.concurrent.CountDownLatch bothStarted = new java.util.concurrent.CountDownLatch(2);
    Map<String, Crawler> crawlers = new java.util.LinkedHashMap<>();
    Map<String, Backfill> backfills = new HashMap<>();
    for (String type : List.of("Patient", "Observation")) {
      crawlers.put(type, (since, handler) -> since);
      backfills.put(
          type,
          (saved, handler) -> {
            bothStarted.countDown();
            try {
              // Only a load running beside the other sees both start.
              if (!bothStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("loaded in turn");
              }
            } catch (InterruptedException e) {
              throw new java.util.concurrent.CancellationException();
            }
            handler.accept(List.of(event(type, "x", "1", 1)), "done");
            return T0.plusSeconds(5);
          });
    }
    ChangeCapture capture =
        capture(crawlers, backfills, new SimpleMeterRegistry()).typesAtOnce(2, 2);
    Thread thread = new Thread(capture);
    thread.start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while ((capture.cursor("Patient") == null || capture.cursor("Observation") == null)
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    capture.stop();
    thread.join(5_000);

    assertThat(capture.cursor("Patient")).isEqualTo(T0.plusSeconds(5));
    assertThat(capture.cursor("Observation")).isEqualTo(T0.plusSeconds(5));
    assertThat(acknowledged)
        .extracting(ChangeEvent::resourceType)
        .contains("Patient", "Observation");
  }

  @Test
  void firstLoadProgressGaugesCountWhatWasPublishedAgainstTheServersTotal() {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    double[] midway = new double[2];
    Backfill backfill =
        new Backfill() {
          @Override
          public Instant load(String saved, ProgressHandler handler) {
            handler.total(3);
            handler.accept(List.of(patient("a", "1", 1), patient("b", "1", 1)), "half");
            midway[0] = gauge(metrics, "fhirstream.source.first-load.done");
            midway[1] = gauge(metrics, "fhirstream.source.first-load.expected");
            return T0.plusSeconds(5); // one was deleted meanwhile: two loaded
          }
        };
    ChangeCapture capture =
        capture(Map.of("Patient", (since, handler) -> since), Map.of("Patient", backfill), metrics);

    capture.pollOnce("Patient");

    assertThat(midway).containsExactly(2.0, 3.0);
    assertThat(gauge(metrics, "fhirstream.source.first-load.done")).isEqualTo(2.0);
    assertThat(gauge(metrics, "fhirstream.source.first-load.expected"))
        .as("a complete load reads as complete")
        .isEqualTo(2.0);
    assertThat(committed.get("fhir|Patient#first-load")).contains("|2|half");
  }

  @Test
  void anEmptyTypesFirstLoadCommitsOnlyItsCursor() {
    ChangeCapture capture =
        capture(
            Map.of("Patient", (since, handler) -> since),
            Map.of("Patient", (saved, handler) -> T0.plusSeconds(5)),
            new SimpleMeterRegistry());

    capture.pollOnce("Patient");

    assertThat(committed).containsOnlyKeys("fhir|Patient");
  }

  private static double gauge(SimpleMeterRegistry metrics, String name) {
    return metrics.get(name).tag("type", "Patient").gauge().value();
  }

  @Test
  void cursorIsNotCommittedWhenThePublisherFailsToAcknowledge() {
    Crawler crawler =
        (since, handler) -> {
          handler.accept(List.of(patient("a", "1", 1)), T0.plusSeconds(5));
          return T0.plusSeconds(5);
        };
    ChangeCapture capture = capture(crawler, null);
    failNextFlush = true;

    assertThatThrownBy(() -> capture.pollOnce("Patient")).isInstanceOf(RetriableException.class);
    assertThat(committed).isEmpty();
    assertThat(capture.cursor("Patient")).isNull();

    capture.pollOnce("Patient"); // the retry re-reads the same window
    assertThat(acknowledged).extracting(ChangeEvent::id).containsExactly("a");
    assertThat(committed).containsEntry("fhir|Patient", T0.plusSeconds(5).toString());
  }

  @Test
  void firstLoadUsesTheBackfillCrawlerThenTheIncrementalOneFromItsEnd() {
    List<Instant> incrementalSince = new ArrayList<>();
    Backfill backfill =
        (saved, handler) -> {
          assertThat(saved).isNull();
          handler.accept(List.of(patient("a", "3", 1)), "one");
          handler.accept(List.of(patient("b", "1", 2)), "two");
          return T0.plusSeconds(10);
        };
    Crawler history =
        (since, handler) -> {
          incrementalSince.add(since);
          return since;
        };
    ChangeCapture capture = capture(history, backfill);

    boolean caughtUp = capture.pollOnce("Patient");
    capture.pollOnce("Patient");

    assertThat(caughtUp).as("two batches: not caught up yet").isFalse();
    assertThat(acknowledged).extracting(ChangeEvent::id).containsExactly("a", "b");
    assertThat(incrementalSince).containsExactly(T0.plusSeconds(10));
  }

  @Test
  void changesReadAgainInsideTheSafetyLagAreNotPublishedTwice() {
    ChangeEvent early = patient("a", "2", 20); // after the window's end: read again next time
    List<ChangeEvent> server = List.of(patient("a", "1", 1), early);
    Crawler crawler =
        (since, handler) -> {
          handler.accept(
              server.stream()
                  .filter(e -> since == null || !e.lastUpdated().isBefore(since))
                  .toList(),
              T0.plusSeconds(10));
          return T0.plusSeconds(10);
        };
    ChangeCapture capture = capture(crawler, null);

    capture.pollOnce("Patient");
    capture.pollOnce("Patient");

    assertThat(acknowledged)
        .extracting(e -> e.id() + "/" + e.versionId())
        .containsExactly("a/1", "a/2");
  }

  @Test
  void resumesFromTheCommittedCursor() throws Exception {
    committed.put("fhir|Patient", T0.plusSeconds(42).toString());
    List<Instant> seen = new ArrayList<>();
    Crawler crawler =
        (since, handler) -> {
          seen.add(since);
          return since;
        };
    ChangeCapture capture =
        capture(
            crawler,
            (saved, handler) -> {
              throw new AssertionError("no backfill when a cursor exists");
            });
    Thread thread = new Thread(capture);
    thread.start();
    while (seen.isEmpty()) {
      Thread.onSpinWait();
    }
    capture.stop();
    thread.join(10_000);
    assertThat(seen.get(0)).isEqualTo(T0.plusSeconds(42));
  }

  @Test
  void interruptedFirstLoadResumesAndHistoryStartsWhereTheFirstAttemptBegan() {
    Instant now = Instant.now();
    List<String> snapshotFrom = new ArrayList<>();
    List<Instant> historyFrom = new ArrayList<>();
    boolean[] crash = {true};
    Backfill snapshot =
        (saved, handler) -> {
          snapshotFrom.add(saved);
          handler.accept(List.of(patient("a", "1", 1)), "a|done");
          if (crash[0]) {
            throw new IllegalStateException("killed mid-snapshot");
          }
          handler.accept(List.of(patient("b", "1", 2)), "b|done");
          return now.minusSeconds(10);
        };
    Crawler history =
        (since, handler) -> {
          historyFrom.add(since);
          return since;
        };

    assertThatThrownBy(() -> capture(history, snapshot).pollOnce("Patient"))
        .hasMessageContaining("killed");
    String started = committed.get("fhir|Patient#first-load").split("\\|")[0];
    assertThat(committed).doesNotContainKey("fhir|Patient");

    crash[0] = false;
    ChangeCapture restarted = capture(history, snapshot);
    restarted.pollOnce("Patient");
    restarted.pollOnce("Patient");

    assertThat(snapshotFrom).as("progress with '|' in it survives").containsExactly(null, "a|done");
    assertThat(historyFrom).containsExactly(Instant.parse(started));
    assertThat(Instant.parse(started)).isBefore(now);
  }

  @Test
  void anInitialLoadRunsFirstForTypesWithoutACursorAndPollingContinuesFromItsHandOver()
      throws Exception {
    List<Instant> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<List<String>> loaded = new ArrayList<>();
    int[] attempts = {0};
    Crawler history =
        (since, handler) -> {
          seen.add(since);
          return since;
        };
    ChangeCapture capture =
        capture(
                history,
                (since, handler) -> {
                  throw new AssertionError("no per-type backfill with an initial load");
                })
            .initialLoad(
                (types, commit, running) -> {
                  loaded.add(types);
                  if (attempts[0]++ == 0) {
                    throw new RetriableException("server busy"); // retried, not fatal
                  }
                  types.forEach(type -> commit.accept(type, T0.plusSeconds(7)));
                });
    Thread thread = new Thread(capture);
    thread.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (seen.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    capture.stop();
    thread.join(5_000);

    assertThat(loaded).containsExactly(List.of("Patient"), List.of("Patient"));
    assertThat(committed).containsEntry("fhir|Patient", T0.plusSeconds(7).toString());
    assertThat(seen.get(0)).isEqualTo(T0.plusSeconds(7));
  }
}

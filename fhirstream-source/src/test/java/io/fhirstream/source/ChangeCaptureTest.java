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
  private final Map<String, String> committed = new HashMap<>();
  private boolean failNextFlush;

  private final EventPublisher publisher =
      new EventPublisher() {
        @Override
        public void send(ChangeEvent event) {
          sent.add(event);
        }

        @Override
        public void flush() {
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
        public void commit(String key, String position) {
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
  void resumesFromTheCommittedCursor() {
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

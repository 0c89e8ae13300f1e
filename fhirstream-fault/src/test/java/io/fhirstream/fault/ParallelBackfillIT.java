package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.Backoff;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.fault.proxy.Fault;
import io.fhirstream.fault.proxy.FaultPlan;
import io.fhirstream.fault.proxy.FaultyProxy;
import io.fhirstream.source.capture.Backfill;
import io.fhirstream.source.capture.CrawlTarget;
import io.fhirstream.source.capture.WindowedSnapshot;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The parallel first load against the demo FHIR server over HTTP, through the fault proxy: every
 * current resource is read once the load ends, whatever the server throttles, and an interrupted
 * load resumes with what is left rather than from scratch.
 */
class ParallelBackfillIT {
  private static final int PATIENTS = 3_000;
  private static final int PAGE_SIZE = 50;
  private static final int READERS = 4;

  private static DemoFhirServer server;
  private static Map<String, String> current; // id → versionId

  @BeforeAll
  static void seed() throws InterruptedException {
    server = DemoFhirServer.builder().resourceTypes("Patient").build().start();
    SyntheticPatients patients = new SyntheticPatients(7);
    for (int i = 0; i < PATIENTS; i++) {
      server.store().create(patients.next());
    }
    // A load reads what was written before the server's Date header, which is whole seconds:
    // history, not the load, reads later writes. Let the second of the last write pass.
    Thread.sleep(1_100);
    current =
        server.store().snapshot("Patient").values().stream()
            .filter(v -> !v.deleted())
            .collect(Collectors.toMap(ResourceVersion::id, v -> Long.toString(v.versionId())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void readsEveryCurrentResourceWithSeveralReadersWhileTheServerThrottles() {
    FaultPlan throttling =
        FaultPlan.builder().probability(Fault.TOO_MANY_REQUESTS, 0.15).retryAfterSeconds(1).build();
    try (FaultyProxy proxy =
        FaultyProxy.builder()
            .upstream(URI.create(server.baseUrl()))
            .faults(throttling)
            .seed(11)
            .build()
            .start()) {
      Map<String, String> loaded = new ConcurrentHashMap<>();
      Set<String> readerThreads = ConcurrentHashMap.newKeySet();
      Instant before =
          snapshot(proxy.baseUri())
              .load(
                  null,
                  (events, progress) -> {
                    readerThreads.add(Thread.currentThread().getName());
                    events.forEach(e -> loaded.put(e.id(), e.versionId()));
                  });

      assertThat(proxy.stats().injected(Fault.TOO_MANY_REQUESTS))
          .as("the server throttled")
          .isPositive();
      assertThat(missingOrDifferent(loaded)).isEmpty();
      assertThat(readerThreads).as("windows read in parallel").hasSizeGreaterThan(1);
      assertThat(before).isBefore(Instant.now());
    }
  }

  @Test
  void anInterruptedLoadResumesWithWhatIsLeft() {
    Map<String, String> loaded = new ConcurrentHashMap<>();
    AtomicReference<String> saved = new AtomicReference<>();
    AtomicInteger saves = new AtomicInteger();
    URI base = URI.create(server.baseUrl());
    assertThatThrownBy(
            () ->
                snapshot(base)
                    .load(
                        null,
                        (events, progress) -> {
                          // Killed once progress past the plan is saved (at most once a
                          // second), publishing slowly enough for that to come mid-load.
                          if (saves.get() >= 3) {
                            throw new IllegalStateException("killed mid-load");
                          }
                          if (!events.isEmpty()) {
                            sleep(250);
                          }
                          events.forEach(e -> loaded.put(e.id(), e.versionId()));
                          if (progress != null) {
                            saved.set(progress);
                            saves.incrementAndGet();
                          }
                        }))
        .hasMessage("killed mid-load");

    AtomicInteger secondAttempt = new AtomicInteger();
    snapshot(base)
        .load(
            saved.get(),
            (events, progress) -> {
              secondAttempt.addAndGet(events.size());
              events.forEach(e -> loaded.put(e.id(), e.versionId()));
            });

    assertThat(missingOrDifferent(loaded)).isEmpty();
    assertThat(secondAttempt.get())
        .as("the resumed load skips windows already read")
        .isLessThan(PATIENTS);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The current resources not loaded as they are on the server (a few, to keep reports short). */
  private static List<String> missingOrDifferent(Map<String, String> loaded) {
    return current.entrySet().stream()
        .filter(e -> !e.getValue().equals(loaded.get(e.getKey())))
        .map(
            e ->
                e.getKey()
                    + " at "
                    + server
                        .store()
                        .latest("Patient", e.getKey())
                        .map(v -> v.lastUpdated())
                        .orElse(null))
        .limit(10)
        .toList();
  }

  private static Backfill snapshot(URI base) {
    FhirHttpClient http =
        new FhirHttpClient(
            base,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)),
            Integer.MAX_VALUE);
    return new WindowedSnapshot(
        new CrawlTarget(http, "Patient", PAGE_SIZE, Duration.ZERO, Clock.systemUTC()), READERS);
  }
}

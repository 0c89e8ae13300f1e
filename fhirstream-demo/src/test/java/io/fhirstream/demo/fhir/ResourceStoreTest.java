package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class ResourceStoreTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final SteppingClock clock = new SteppingClock(T0);
  private final ResourceStore store =
      DemoFhirServer.builder().resourceTypes("Patient", "Observation").clock(clock).build().store();

  private static Patient patient(String family) {
    Patient patient = new Patient();
    patient.addName().setFamily(family);
    return patient;
  }

  @Test
  void createAssignsAnIdVersionOneAndTheWriteTime() {
    Patient patient = patient("Doe");
    patient.setId("client-chosen");

    ResourceVersion version = store.create(patient);

    assertThat(version.id()).isEqualTo("1").isNotEqualTo("client-chosen");
    assertThat(version.versionId()).isEqualTo(1);
    assertThat(version.lastUpdated()).isEqualTo(T0);
    assertThat(version.operation()).isEqualTo(ResourceVersion.Operation.CREATE);
    Patient served =
        FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(Patient.class, version.json().orElseThrow());
    assertThat(served.getIdElement().getIdPart()).isEqualTo("1");
    assertThat(served.getMeta().getVersionId()).isEqualTo("1");
    assertThat(served.getMeta().getLastUpdated().toInstant()).isEqualTo(T0);
    assertThat(served.getNameFirstRep().getFamily()).isEqualTo("Doe");
    // Like HAPI JPA's DAO, the argument now mirrors the stored version.
    assertThat(patient.getIdElement().getValue()).isEqualTo("Patient/1/_history/1");
  }

  @Test
  void writesInTheSameMillisecondShareItAndTimestampsNeverGoBack() {
    List<Instant> stamps = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      stamps.add(store.create(patient("P" + i)).lastUpdated());
    }
    clock.set(T0.minusSeconds(60)); // the wall clock steps back
    stamps.add(store.create(patient("late")).lastUpdated());
    stamps.add(store.create(new Observation()).lastUpdated()); // shared across types

    // Like a real server: ties within one millisecond, never a step back, never ahead of the clock.
    assertThat(stamps).isSorted().containsOnly(T0);
  }

  @Test
  void everyWriteIsANewVersionAndARecreateContinuesTheSequence() {
    String id = store.create(patient("A")).id();
    clock.advanceMillis(10);
    Patient update = patient("B");
    update.setId(id);
    assertThat(store.update(update).versionId()).isEqualTo(2);
    clock.advanceMillis(10);
    ResourceVersion deletion = store.delete("Patient", id).orElseThrow();
    clock.advanceMillis(10);
    Patient recreate = patient("C");
    recreate.setId(id);
    ResourceVersion recreated = store.update(recreate);

    assertThat(deletion.versionId()).isEqualTo(3);
    assertThat(deletion.deleted()).isTrue();
    assertThat(deletion.json()).isEmpty();
    assertThat(deletion.lastUpdated()).isEqualTo(T0.plusMillis(20));
    assertThat(recreated.versionId()).isEqualTo(4);
    assertThat(recreated.operation()).isEqualTo(ResourceVersion.Operation.UPDATE);
    assertThat(store.version("Patient", id, 1).orElseThrow().json().orElseThrow())
        .contains("\"A\"");
    assertThat(store.version("Patient", id, 2).orElseThrow().json().orElseThrow())
        .contains("\"B\"");
    assertThat(store.version("Patient", id, 3).orElseThrow().deleted()).isTrue();
    assertThat(store.version("Patient", id, 5)).isEmpty();
    assertThat(store.latest("Patient", id).orElseThrow().versionId()).isEqualTo(4);
  }

  @Test
  void deletingADeletedResourceWritesNothingAndAnUnknownOneIsEmpty() {
    String id = store.create(patient("A")).id();
    ResourceVersion first = store.delete("Patient", id).orElseThrow();

    assertThat(store.delete("Patient", id)).contains(first);
    assertThat(store.countVersions("Patient")).isEqualTo(2);
    assertThat(store.delete("Patient", "never")).isEmpty();
  }

  @Test
  void updateOfAnUnknownIdCreatesItAndServerIdsSkipClientIds() {
    Patient taken = patient("client");
    taken.setId("2");
    assertThat(store.update(taken).versionId()).isEqualTo(1);

    assertThat(store.create(patient("a")).id()).isEqualTo("1");
    assertThat(store.create(patient("b")).id()).isEqualTo("3");
  }

  @Test
  void updateRejectsAStaleExpectedVersionAndABadId() {
    String id = store.create(patient("A")).id();
    Patient update = patient("B");
    update.setId(id);
    store.update(update, "1");

    Patient stale = patient("C");
    stale.setId(id);
    assertThatThrownBy(() -> store.update(stale, "1"))
        .isInstanceOf(ResourceVersionConflictException.class);
    Patient bad = patient("D");
    bad.setId("not/valid id");
    assertThatThrownBy(() -> store.update(bad)).isInstanceOf(InvalidRequestException.class);
    assertThat(store.latest("Patient", id).orElseThrow().versionId()).isEqualTo(2);
  }

  @Test
  void countsAndSnapshotReflectLatestVersions() {
    String a = store.create(patient("A")).id();
    String b = store.create(patient("B")).id();
    String c = store.create(patient("C")).id();
    store.delete("Patient", b);
    store.delete("Patient", c);
    Patient again = patient("C2");
    again.setId(c);
    store.update(again);

    assertThat(store.countCurrent("Patient")).isEqualTo(2);
    assertThat(store.countDeleted("Patient")).isEqualTo(1);
    assertThat(store.countVersions("Patient")).isEqualTo(6);
    Map<String, ResourceVersion> snapshot = store.snapshot("Patient");
    assertThat(snapshot).containsOnlyKeys(a, b, c);
    assertThat(snapshot.get(a).versionId()).isEqualTo(1);
    assertThat(snapshot.get(b).deleted()).isTrue();
    assertThat(snapshot.get(c).versionId()).isEqualTo(3);
    assertThat(snapshot.get(c).json().orElseThrow()).contains("C2").contains("\"versionId\":\"3\"");
    assertThat(store.snapshot("Observation")).isEmpty();
  }

  @Test
  void aTypeThatIsNotServedIsRejected() {
    assertThatThrownBy(() -> store.create(new org.hl7.fhir.r4.model.Encounter()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Encounter")
        .hasMessageContaining("resourceTypes");
  }

  @Test
  void concurrentWritersKeepHistoryOrderedAndVersionsGapless() throws Exception {
    ResourceStore real = DemoFhirServer.builder().resourceTypes("Patient").build().store();
    int threads = 4;
    int perThread = 1500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  ResourceVersion created = real.create(patient("x"));
                  Patient update = patient("y");
                  update.setId(created.id());
                  real.update(update);
                  if (i % 3 == 0) {
                    real.delete("Patient", created.id());
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    VersionLog log = real.type("Patient").log();
    int expected = threads * perThread * 2 + threads * (perThread / 3);
    assertThat(log.size()).isEqualTo(expected);
    Map<String, Long> lastVersion = new HashMap<>();
    for (int i = 0; i < log.size(); i++) {
      ResourceVersion v = log.get(i);
      assertThat(v.logIndex()).isEqualTo(i);
      if (i > 0) {
        assertThat(v.lastUpdatedMillis())
            .isGreaterThanOrEqualTo(log.get(i - 1).lastUpdatedMillis());
      }
      assertThat(v.versionId()).isEqualTo(lastVersion.getOrDefault(v.id(), 0L) + 1);
      lastVersion.put(v.id(), v.versionId());
    }
    assertThat(real.countCurrent("Patient") + real.countDeleted("Patient"))
        .isEqualTo(threads * perThread);
    assertThat(real.countDeleted("Patient")).isEqualTo(threads * (perThread / 3));
  }
}

package io.fhirstream.api.store;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DocumentReader} must show, against what its store's own {@link
 * DocumentWriter} wrote. A store's test extends this class and supplies a fresh writer and a reader
 * of the same store; a new store is done when it passes this and {@link DocumentWriterContract}.
 *
 * <p>The reader is opened after the test's first flush (some stores have nothing to open before a
 * first write) and then kept for the whole test, so each test also shows that a reader sees flushes
 * made after it was opened.
 */
public abstract class DocumentReaderContract {

  /** A new, not yet opened writer over a fresh, empty store. Called once per test. */
  protected abstract DocumentWriter newWriter();

  /** A reader of the store of the last {@link #newWriter()}, on a connection of its own. */
  protected abstract DocumentReader newReader();

  /**
   * Whether the reader gives resources back byte for byte as written. A store that keeps them
   * parsed (jsonb, Cosmos DB, MongoDB) returns {@code false} and is held to the same JSON instead:
   * every field, value and array order, with numbers of the same digits and precision.
   */
  protected boolean keepsBodyBytes() {
    return true;
  }

  protected DocumentWriter writer;
  private DocumentReader reader;

  @BeforeEach
  void openWriter() {
    writer = newWriter();
    writer.open(
        () ->
            (event, reason) -> {
              throw new AssertionError(event + " was dead-lettered: " + reason);
            });
  }

  @AfterEach
  void closeReaderAndWriter() {
    try {
      if (reader != null) {
        reader.close();
      }
    } finally {
      writer.close();
    }
  }

  /** The reader of this test, opened on first use. */
  protected DocumentReader reader() {
    if (reader == null) {
      reader = newReader();
    }
    return reader;
  }

  /** Writes the events as one batch and flushes. */
  protected void writeAndFlush(List<ChangeEvent> events) {
    writer.write(events);
    writer.flush();
  }

  protected void writeAndFlush(ChangeEvent... events) {
    writeAndFlush(List.of(events));
  }

  /** Asserts that the reader holds exactly what {@code expected} says, body included. */
  protected void assertStored(ChangeEvent expected) {
    String reference = expected.resourceType() + "/" + expected.id();
    Optional<StoredDocument> read = reader().read(expected.resourceType(), expected.id());
    assertThat(read).as("stored %s", reference).isPresent();
    assertSame(read.get(), expected, true);
  }

  private void assertSame(StoredDocument stored, ChangeEvent expected, boolean withBody) {
    String reference = expected.resourceType() + "/" + expected.id();
    assertThat(stored.resourceType())
        .as("type of %s", reference)
        .isEqualTo(expected.resourceType());
    assertThat(stored.id()).as("id of %s", reference).isEqualTo(expected.id());
    assertThat(stored.versionId()).as("version of %s", reference).isEqualTo(expected.versionId());
    assertThat(stored.lastUpdated())
        .as("lastUpdated of %s", reference)
        .isEqualTo(expected.lastUpdated());
    assertThat(stored.deleted()).as("deleted %s", reference).isEqualTo(expected.deleted());
    if (!withBody || expected.deleted()) {
      assertThat(stored.resource()).as("resource of %s", reference).isNull();
    } else if (keepsBodyBytes()) {
      assertThat(stored.resourceBytes()).as("body of %s", reference).isEqualTo(expected.body());
    } else {
      assertThat(stored.resource()).as("body of %s", reference).isNotNull();
      assertThat(SameJson.same(stored.resourceBytes(), expected.body(), "body of " + reference))
          .as(
              "body of %s: stored %s, expected %s",
              reference,
              SameJson.tree(stored.resourceBytes(), reference),
              SameJson.tree(expected.body(), reference))
          .isTrue();
    }
  }

  /** Every document the reader visits for a type, in the order visited. */
  private List<StoredDocument> scan(String resourceType, boolean withBodies) {
    List<StoredDocument> visited = new ArrayList<>();
    reader().scan(resourceType, withBodies, visited::add);
    return visited;
  }

  private static List<String> ids(List<StoredDocument> documents) {
    return documents.stream().map(StoredDocument::id).toList();
  }

  @Test
  void readsTheVersionLastUpdatedAndBodyThatWereFlushed() {
    ChangeEvent patient = patientVersion("p1", 3);
    ChangeEvent observation = FhirFixtures.resource("Observation", "o1", "7", T0.plusSeconds(5));
    ChangeEvent synthea =
        ChangeEvent.upsert(
            "Patient",
            "39234650-0229-4aee-975b-c8ee68bab40b",
            "3",
            T0,
            FhirFixtures.bytes("fhir/patient-synthea.json"));
    writeAndFlush(patient, observation, synthea);

    assertStored(patient);
    assertStored(observation);
    assertStored(synthea);
  }

  @Test
  void lastUpdatedComesBackToTheNanosecond() {
    Instant precise = Instant.parse("2024-05-01T08:00:00.123456789Z");
    ChangeEvent event = FhirFixtures.resource("Patient", "p1", "1", precise);
    writeAndFlush(event);

    assertThat(reader().read("Patient", "p1").orElseThrow().lastUpdated()).isEqualTo(precise);
  }

  @Test
  void tombstoneKeepsItsVersionAndHasNoResource() {
    writeAndFlush(patientVersion("p1", 1), patientDeletion("p2", 4));
    ChangeEvent deletion = patientDeletion("p1", 2);
    writeAndFlush(deletion);

    StoredDocument tombstone = reader().read("Patient", "p1").orElseThrow();
    assertSame(tombstone, deletion, true);
    assertThat(tombstone.resource()).isNull();
    assertThat(tombstone.resourceBytes()).isNull();
    assertSame(reader().read("Patient", "p2").orElseThrow(), patientDeletion("p2", 4), true);
  }

  @Test
  void idNeverWrittenReadsAsEmpty() {
    writeAndFlush(patientVersion("p1", 1));

    assertThat(reader().read("Patient", "p2")).isEmpty();
    assertThat(reader().read("Patient", "P1")).as("ids are case-sensitive").isEmpty();
  }

  @Test
  void typeNeverWrittenReadsAsEmpty() {
    writeAndFlush(patientVersion("p1", 1));

    assertThat(reader().read("Encounter", "p1")).isEmpty();
    assertThat(scan("Encounter", true)).isEmpty();
    assertThat(scan("Encounter", false)).isEmpty();
    assertThat(reader().readAll("Encounter")).isEmpty();
    assertThat(reader().count("Encounter")).isZero();
    assertThat(reader().countDeleted("Encounter")).isZero();
    assertThat(reader().resourceTypes()).doesNotContain("Encounter");
  }

  @Test
  void scanVisitsIdsInAscendingOrderAsJavaComparesThem() {
    List<String> ids =
        new ArrayList<>(
            List.of(
                "b",
                "a",
                "B",
                "A",
                "A-1",
                "a.b",
                "a-b",
                "10",
                "9",
                "0",
                "-",
                ".",
                "Z",
                "z",
                "b-a",
                "x".repeat(64),
                "1.2.840.10008"));
    Collections.shuffle(ids, new Random(7));
    List<ChangeEvent> events = new ArrayList<>();
    for (String id : ids) {
      events.add(id.startsWith("a") ? patientDeletion(id, 2) : patientVersion(id, 1));
    }
    writeAndFlush(events);
    List<String> sorted = ids.stream().sorted().toList();

    List<StoredDocument> withBodies = scan("Patient", true);
    List<StoredDocument> withoutBodies = scan("Patient", false);

    assertThat(ids(withBodies)).containsExactlyElementsOf(sorted);
    assertThat(ids(withoutBodies)).containsExactlyElementsOf(sorted);
    assertThat(reader().readAll("Patient").keySet()).containsExactlyElementsOf(sorted);
    Map<String, ChangeEvent> byId = new LinkedHashMap<>();
    events.forEach(event -> byId.put(event.id(), event));
    withBodies.forEach(stored -> assertSame(stored, byId.get(stored.id()), true));
    withoutBodies.forEach(stored -> assertSame(stored, byId.get(stored.id()), false));
  }

  @Test
  void scanWithoutBodiesGivesVersionsAndDeletionsButNoResources() {
    ChangeEvent live = patientVersion("live", 5);
    ChangeEvent deleted = patientDeletion("gone", 6);
    writeAndFlush(live, deleted);

    List<StoredDocument> visited = scan("Patient", false);

    assertThat(visited).hasSize(2);
    assertThat(visited).allSatisfy(stored -> assertThat(stored.resource()).isNull());
    assertSame(visited.get(0), deleted, false);
    assertSame(visited.get(1), live, false);
  }

  @Test
  void countsLiveResourcesAndTombstonesApart() {
    writeAndFlush(
        patientVersion("a", 1),
        patientVersion("b", 1),
        patientVersion("c", 1),
        patientDeletion("d", 2),
        FhirFixtures.resource("Observation", "o", "1", T0));
    writeAndFlush(patientDeletion("c", 2));

    assertThat(reader().count("Patient")).isEqualTo(2);
    assertThat(reader().countDeleted("Patient")).isEqualTo(2);
    assertThat(reader().count("Observation")).isEqualTo(1);
    assertThat(reader().countDeleted("Observation")).isZero();
  }

  @Test
  void resourceTypesAreTheTypesWrittenSorted() {
    writeAndFlush(
        patientVersion("p", 1),
        FhirFixtures.resource("Observation", "o", "1", T0),
        FhirFixtures.resource("MedicationRequest", "m", "1", T0));
    // A type whose only document is a tombstone is held all the same.
    writeAndFlush(ChangeEvent.delete("Encounter", "e", "2", T0));

    assertThat(reader().resourceTypes())
        .containsExactly("Encounter", "MedicationRequest", "Observation", "Patient");
  }

  @Test
  void seesWhatIsFlushedAfterItWasOpened() {
    writeAndFlush(patientVersion("a", 1));
    assertThat(ids(scan("Patient", false))).containsExactly("a");
    assertThat(reader().resourceTypes()).containsExactly("Patient");

    ChangeEvent newerA = patientVersion("a", 2);
    ChangeEvent b = patientVersion("b", 1);
    ChangeEvent observation = FhirFixtures.resource("Observation", "o", "1", T0);
    writeAndFlush(newerA, b, observation);

    assertThat(ids(scan("Patient", true))).containsExactly("a", "b");
    assertStored(newerA);
    assertStored(b);
    assertStored(observation);
    assertThat(reader().count("Patient")).isEqualTo(2);
    assertThat(reader().resourceTypes()).containsExactly("Observation", "Patient");

    ChangeEvent deletion = patientDeletion("a", 3);
    writeAndFlush(deletion);
    assertStored(deletion);
    assertThat(reader().count("Patient")).isEqualTo(1);
    assertThat(reader().countDeleted("Patient")).isEqualTo(1);
  }

  @Test
  void decimalsComeBackWithTheirPrecision() {
    String json =
        "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"1\"},"
            + "\"valueQuantity\":{\"value\":0.0000001,\"unit\":\"mol/L\"},"
            + "\"component\":[{\"valueQuantity\":{\"value\":2.5e-8}},"
            + "{\"valueQuantity\":{\"value\":1.0E-7}},{\"valueQuantity\":{\"value\":123.456}},"
            + "{\"valueQuantity\":{\"value\":1.50}},{\"valueQuantity\":{\"value\":-0.5}},"
            + "{\"valueInteger\":42}]}";
    ChangeEvent event =
        ChangeEvent.upsert("Observation", "o1", "1", T0, json.getBytes(StandardCharsets.UTF_8));
    writeAndFlush(event);

    assertStored(event);
    assertSame(reader().readAll("Observation").get("o1"), event, true);
  }

  @Test
  void twoThousandDocumentsAcrossThreeTypes() {
    Map<String, Integer> perType = Map.of("Patient", 1000, "Observation", 600, "Encounter", 400);
    Map<String, Map<String, ChangeEvent>> written = new LinkedHashMap<>();
    List<ChangeEvent> all = new ArrayList<>();
    perType.forEach(
        (type, count) -> {
          Map<String, ChangeEvent> ofType = new LinkedHashMap<>();
          for (int i = 0; i < count; i++) {
            String id = type.toLowerCase(java.util.Locale.ROOT) + "-" + i;
            ChangeEvent event =
                i % 10 == 3
                    ? ChangeEvent.delete(type, id, "2", T0.plusSeconds(i))
                    : type.equals("Patient")
                        ? patientVersion(id, 1 + i % 4)
                        : FhirFixtures.resource(type, id, "1", T0.plusSeconds(i));
            ofType.put(id, event);
            all.add(event);
          }
          written.put(type, ofType);
        });
    Collections.shuffle(all, new Random(11));
    for (int from = 0; from < all.size(); from += 500) {
      writeAndFlush(all.subList(from, Math.min(all.size(), from + 500)));
    }

    assertThat(reader().resourceTypes()).containsExactly("Encounter", "Observation", "Patient");
    for (Map.Entry<String, Map<String, ChangeEvent>> type : written.entrySet()) {
      Map<String, ChangeEvent> expected = type.getValue();
      long tombstones = expected.values().stream().filter(ChangeEvent::deleted).count();
      assertThat(reader().count(type.getKey())).isEqualTo(expected.size() - tombstones);
      assertThat(reader().countDeleted(type.getKey())).isEqualTo(tombstones);

      List<String> sortedIds =
          expected.keySet().stream().sorted(Comparator.naturalOrder()).toList();
      List<StoredDocument> withoutBodies = scan(type.getKey(), false);
      assertThat(ids(withoutBodies)).containsExactlyElementsOf(sortedIds);
      withoutBodies.forEach(stored -> assertSame(stored, expected.get(stored.id()), false));
      List<StoredDocument> withBodies = scan(type.getKey(), true);
      assertThat(ids(withBodies)).containsExactlyElementsOf(sortedIds);
      withBodies.forEach(stored -> assertSame(stored, expected.get(stored.id()), true));
    }
  }
}

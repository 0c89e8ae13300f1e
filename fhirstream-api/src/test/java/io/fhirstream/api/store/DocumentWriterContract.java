package io.fhirstream.api.store;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.RetriableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DocumentWriter} must show. A store's test extends this class and
 * supplies fresh writers and a way to read the stored state back through a connection of its own; a
 * new store is done when it passes.
 *
 * <p>Each test opens the writer with a context whose dead-letter reporter records what it is given:
 * every event here is valid, so a dead letter fails the test.
 */
public abstract class DocumentWriterContract {

  /**
   * What a store holds for one resource.
   *
   * @param versionId the stored {@code meta.versionId}
   * @param deleted whether it is a tombstone
   * @param body the stored JSON as UTF-8 bytes, or {@code null} for a tombstone
   */
  public record ReadBack(String versionId, boolean deleted, byte[] body) {
    public static ReadBack of(String versionId, boolean deleted, String json) {
      return new ReadBack(
          versionId, deleted, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** What a {@link DocumentReader} read, so a store's read-back can go through its reader. */
    public static ReadBack of(StoredDocument stored) {
      return of(stored.versionId(), stored.deleted(), stored.resource());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReadBack other
          && deleted == other.deleted
          && java.util.Objects.equals(versionId, other.versionId)
          && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(versionId, deleted) + 31 * Arrays.hashCode(body);
    }

    @Override
    public String toString() {
      return "ReadBack[v"
          + versionId
          + (deleted ? ", deleted" : ", " + body.length + " bytes")
          + "]";
    }
  }

  /** A new, not yet opened writer over a fresh, empty store. Called once per test. */
  protected abstract DocumentWriter newWriter();

  /** A new, not yet opened writer over the same store as the last {@link #newWriter()}. */
  protected abstract DocumentWriter newWriterOverSameStore();

  /**
   * Reads what the store holds for one resource through a connection separate from the writer's, so
   * only durable, committed state is seen. Empty when the store has never held the resource.
   */
  protected abstract Optional<ReadBack> readBack(String resourceType, String id);

  /**
   * Makes the store unavailable in a way a later attempt gets past (a lost connection, a stopped
   * server, a lock held elsewhere, throttling) until the returned handle is closed. The writer
   * under test must then fail with {@link RetriableException}, and succeed when the runtime
   * re-delivers.
   */
  protected abstract AutoCloseable interruptStore() throws Exception;

  /**
   * A valid change event this store refuses on its own merits (too large for it, a character it
   * cannot hold, …), which must go to the dead letters while the rest of the batch is written.
   * Empty when the store takes every event the codec lets through; the test is then skipped.
   */
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    return Optional.empty();
  }

  /**
   * Whether {@link #readBack} returns the body byte for byte as written. A store that keeps the
   * resource as a parsed document (Cosmos DB, MongoDB) returns {@code false} and is held to the
   * same JSON instead: every field, value and array order, whitespace and key order aside.
   */
  protected boolean keepsBodyBytes() {
    return true;
  }

  /** Reasons given to the dead-letter reporter during the test. */
  protected final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());

  private final WriterContext context =
      () -> (event, reason) -> deadLetters.add(event.versionedReference() + ": " + reason);

  protected DocumentWriter writer;

  @BeforeEach
  void openWriter() {
    writer = newWriter();
    writer.open(context);
  }

  @AfterEach
  void closeWriter() {
    if (writer != null) {
      writer.close();
    }
    assertThat(deadLetters).as("valid events must never be dead-lettered").isEmpty();
  }

  /** The context tests open writers with. */
  protected WriterContext context() {
    return context;
  }

  /**
   * Writes the events as one batch and flushes, redelivering the batch after a retriable failure
   * the way the runtime does (a few attempts): a store reached over the network may time out once
   * on a busy machine, and a writer must survive that (see {@link
   * #transientFailureIsRetriableAndTheRedeliverySucceeds}). A failure that persists still fails.
   */
  protected void writeAndFlush(ChangeEvent... events) {
    for (int attempt = 1; ; attempt++) {
      try {
        writer.write(List.of(events));
        writer.flush();
        return;
      } catch (RetriableException e) {
        if (attempt == REDELIVERIES) {
          throw e;
        }
        pause(Duration.ofMillis(500L * attempt));
      }
    }
  }

  private static final int REDELIVERIES = 3;

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void assertStored(ChangeEvent expected) {
    String reference = expected.resourceType() + "/" + expected.id();
    Optional<ReadBack> stored = readBack(expected.resourceType(), expected.id());
    assertThat(stored).as("stored %s", reference).isPresent();
    assertThat(stored.get().versionId())
        .as("version of %s", reference)
        .isEqualTo(expected.versionId());
    assertThat(stored.get().deleted()).as("deleted %s", reference).isEqualTo(expected.deleted());
    assertSameBody(stored.get().body(), expected.body(), reference);
  }

  private void assertSameBody(byte[] stored, byte[] expected, String reference) {
    if (expected == null || keepsBodyBytes()) {
      assertThat(stored).as("body of %s", reference).isEqualTo(expected);
      return;
    }
    assertThat(stored).as("body of %s", reference).isNotNull();
    assertThat(SameJson.same(stored, expected, "body of " + reference))
        .as(
            "body of %s: stored %s, expected %s",
            reference, SameJson.tree(stored, reference), SameJson.tree(expected, reference))
        .isTrue();
  }

  @Test
  void transientFailureIsRetriableAndTheRedeliverySucceeds() throws Exception {
    ChangeEvent before = patientVersion("before", 1);
    writeAndFlush(before);
    List<ChangeEvent> batch = List.of(patientVersion("during", 1), patientVersion("before", 2));

    try (AutoCloseable outage = interruptStore()) {
      assertThatThrownBy(
              () -> {
                writer.write(batch);
                writer.flush();
              })
          .as("a write while the store is away")
          .isInstanceOf(RetriableException.class);
    }
    // What the runtime does after its backoff: the same writer, the batch again, then flush.
    writer.write(batch);
    writer.flush();

    batch.forEach(this::assertStored);
  }

  @Test
  void eventTheStoreRefusesIsDeadLetteredAndTheBatchGoesOn() {
    Optional<ChangeEvent> refused = eventTheStoreRejects();
    assumeTrue(refused.isPresent(), "this store takes every event the codec lets through");
    ChangeEvent a = patientVersion("a", 1);
    ChangeEvent b = patientVersion("b", 1);
    ChangeEvent bad = refused.get();

    writeAndFlush(a, bad, b);

    assertStored(a);
    assertStored(b);
    assertThat(readBack(bad.resourceType(), bad.id())).isEmpty();
    assertThat(deadLetters)
        .hasSize(1)
        .allMatch(reason -> reason.startsWith(bad.versionedReference()));
    deadLetters.clear();
  }

  @Test
  void upsertNewDocument() {
    ChangeEvent v1 = patientVersion("p1", 1);
    writeAndFlush(v1);

    assertStored(v1);
    assertThat(readBack("Patient", "other")).isEmpty();
  }

  @Test
  void updateToNewerVersionReplaces() {
    writeAndFlush(patientVersion("p1", 1));
    ChangeEvent v2 = patientVersion("p1", 2);
    writeAndFlush(v2);

    assertStored(v2);
  }

  @Test
  void sameVersionAgainChangesNothing() {
    ChangeEvent v1 = patientVersion("p1", 1);
    writeAndFlush(v1);
    ChangeEvent sameVersionOtherBody =
        ChangeEvent.upsert(
            "Patient",
            "p1",
            "1",
            v1.lastUpdated(),
            FhirFixtures.patient("p1", "1", v1.lastUpdated().plusSeconds(1)));
    writeAndFlush(sameVersionOtherBody);
    assertStored(v1);

    writeAndFlush(v1);
    assertStored(v1);
  }

  @Test
  void olderVersionNeverOverwritesNewer() {
    ChangeEvent v2 = patientVersion("p1", 2);
    writeAndFlush(v2);
    writeAndFlush(patientVersion("p1", 1));

    assertStored(v2);
  }

  @Test
  void versionNineIsOlderThanVersionTen() {
    ChangeEvent v10 = patientVersion("p1", 10);
    writeAndFlush(v10);
    writeAndFlush(patientVersion("p1", 9));

    assertStored(v10);
  }

  @Test
  void deleteKeepsTombstoneWithItsVersion() {
    writeAndFlush(patientVersion("p1", 1));
    writeAndFlush(patientDeletion("p1", 2));

    assertThat(readBack("Patient", "p1")).contains(new ReadBack("2", true, null));
  }

  @Test
  void deleteOfUnknownResourceKeepsTombstone() {
    writeAndFlush(patientDeletion("p1", 4));
    writeAndFlush(patientVersion("p1", 3));

    assertThat(readBack("Patient", "p1")).contains(new ReadBack("4", true, null));
  }

  @Test
  void olderUpsertAfterDeleteIsNotApplied() {
    writeAndFlush(patientVersion("p1", 1));
    writeAndFlush(patientDeletion("p1", 2));
    writeAndFlush(patientVersion("p1", 1));

    assertThat(readBack("Patient", "p1")).contains(new ReadBack("2", true, null));
  }

  @Test
  void newerRecreateAfterDeleteIsApplied() {
    writeAndFlush(patientVersion("p1", 1));
    writeAndFlush(patientDeletion("p1", 2));
    ChangeEvent v3 = patientVersion("p1", 3);
    writeAndFlush(v3);

    assertStored(v3);
  }

  @Test
  void batchMixingAllForOneIdKeepsNewest() {
    writeAndFlush(
        patientVersion("p1", 3),
        patientVersion("p1", 1),
        patientDeletion("p1", 5),
        patientVersion("p1", 4),
        patientVersion("p1", 2));

    assertThat(readBack("Patient", "p1")).contains(new ReadBack("5", true, null));
  }

  @Test
  void severalWritesBeforeOneFlushAreAllKept() {
    ChangeEvent a = patientVersion("a", 1);
    ChangeEvent b = patientVersion("b", 2);
    writer.write(List.of(a));
    writer.write(List.of(b));
    writer.write(List.of(patientVersion("a", 0)));
    writer.flush();

    assertStored(a);
    assertStored(b);
  }

  @Test
  void emptyBatchAndEmptyFlushAreFine() {
    writer.write(List.of());
    writer.flush();
    writer.flush();

    assertThat(readBack("Patient", "p1")).isEmpty();
  }

  @Test
  void thousandIdsInOneBatch() {
    List<ChangeEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      batch.add(patientVersion("id-" + i, 1 + i % 3));
    }
    writer.write(batch);
    writer.flush();

    for (ChangeEvent event : batch) {
      assertStored(event);
    }
  }

  @Test
  void replayOfWholeHistoryInRandomOrderEndsInSameState() {
    Random random = new Random(20240501L);
    List<ChangeEvent> history = new ArrayList<>();
    Map<String, ChangeEvent> appliedInOrder = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      String id = "r" + i;
      int versions = 1 + random.nextInt(8);
      boolean deleted = false;
      for (int v = 1; v <= versions; v++) {
        // A deletion now and then, and sometimes a re-creation after it.
        boolean delete = !deleted && v > 1 && random.nextInt(4) == 0;
        ChangeEvent event = delete ? patientDeletion(id, v) : patientVersion(id, v);
        deleted = delete;
        history.add(event);
        appliedInOrder.put(id, event);
      }
    }
    List<ChangeEvent> shuffled = new ArrayList<>(history);
    // Replayed more than once, as a rewound consumer would.
    shuffled.addAll(history.subList(0, history.size() / 2));
    Collections.shuffle(shuffled, random);

    for (int from = 0; from < shuffled.size(); ) {
      int to = Math.min(shuffled.size(), from + 1 + random.nextInt(40));
      writer.write(new ArrayList<>(shuffled.subList(from, to)));
      if (random.nextBoolean()) {
        writer.flush();
      }
      from = to;
    }
    writer.flush();

    appliedInOrder.values().forEach(this::assertStored);
  }

  @Test
  void idsWithEveryCharacterFhirAllows() {
    String allChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.";
    List<String> ids =
        List.of(
            allChars,
            "a.b",
            "A-1",
            "a",
            "A",
            "0",
            "-",
            ".",
            "..",
            "x".repeat(64),
            "1.2.840.10008",
            "b-a",
            "B-A");
    assertThat(allChars).hasSize(64);
    List<ChangeEvent> batch = new ArrayList<>();
    for (String id : ids) {
      batch.add(patientVersion(id, 1));
    }
    writer.write(batch);
    writer.flush();

    batch.forEach(this::assertStored);
  }

  @Test
  void documentsUpToOneMegabyte() {
    ChangeEvent big =
        ChangeEvent.upsert(
            "Patient", "big", "1", T0, FhirFixtures.patientOfSize("big", "1", T0, 1024 * 1024));
    assertThat(big.body().length).isBetween(1024 * 1024, 1024 * 1024 + 100);
    writeAndFlush(big);

    assertStored(big);
  }

  @Test
  void flushMakesDurable() {
    ChangeEvent v2 = patientVersion("p1", 2);
    writeAndFlush(v2);
    assertStored(v2);

    writer.close();
    writer = newWriterOverSameStore();
    writer.open(context);
    assertStored(v2);

    // The reopened store still guards against what it holds.
    writeAndFlush(patientVersion("p1", 1));
    assertStored(v2);
  }

  @Test
  void nonNumericVersionIdsFallBackToLastUpdated() {
    Instant t1 = T0;
    Instant t2 = T0.plusMillis(1);
    ChangeEvent b = FhirFixtures.resource("Patient", "p1", "b", t1);
    ChangeEvent a = FhirFixtures.resource("Patient", "p1", "a", t2);
    writeAndFlush(b);
    writeAndFlush(a);
    assertStored(a);

    writeAndFlush(b);
    writeAndFlush(FhirFixtures.resource("Patient", "p1", "c", t1.minusSeconds(1)));
    assertStored(a);
  }

  @Test
  void lastUpdatedIsComparedBeyondMilliseconds() {
    Instant t = Instant.parse("2024-05-01T08:00:00.123456Z");
    ChangeEvent later = FhirFixtures.resource("Patient", "p1", "y", t.plusNanos(1000));
    writeAndFlush(later);
    writeAndFlush(FhirFixtures.resource("Patient", "p1", "x", t));

    assertStored(later);
  }

  @Test
  void bodyStoredExactlyAsReceived() {
    byte[] unusual = FhirFixtures.bytes("fhir/patient-unusual-whitespace.json");
    byte[] real = FhirFixtures.bytes("fhir/patient-synthea.json");
    ChangeEvent first = ChangeEvent.upsert("Patient", "unusual-1", "7", T0, unusual);
    // The codec guarantees an event's id is its body's id; stores may rely on it.
    String syntheaId = "39234650-0229-4aee-975b-c8ee68bab40b";
    ChangeEvent second = ChangeEvent.upsert("Patient", syntheaId, "3", T0, real);
    writeAndFlush(first, second);

    assertSameBody(readBack("Patient", "unusual-1").orElseThrow().body(), unusual, "unusual-1");
    assertSameBody(readBack("Patient", syntheaId).orElseThrow().body(), real, "synthea");
  }

  @Test
  void decimalsKeepTheirPrecisionAndLargeIntegersTheirDigits() {
    String json =
        "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"1\"},"
            + "\"valueQuantity\":{\"value\":1.50,\"unit\":\"mmol/L\"},"
            + "\"component\":[{\"valueQuantity\":{\"value\":0.000100}},"
            + "{\"valueQuantity\":{\"value\":3.0}},{\"valueQuantity\":{\"value\":-0.5}},"
            + "{\"valueInteger\":2147483647},{\"valueQuantity\":{\"value\":12345678901234567.25}},"
            + "{\"valueQuantity\":{\"value\":9007199254740993}}]}";
    ChangeEvent event =
        ChangeEvent.upsert("Observation", "o1", "1", T0, json.getBytes(StandardCharsets.UTF_8));
    writeAndFlush(event);

    assertStored(event);
  }

  @Test
  void keysThatLookLikeOperatorsOrPathsAreStoredAsData() {
    // FHIR JSON never has such keys, but a source sending them must not break a store or steer it.
    String json =
        "{\"resourceType\":\"Patient\",\"id\":\"k1\",\"meta\":{\"versionId\":\"1\"},"
            + "\"extension\":[{\"url\":\"x\",\"valueString\":\"v\","
            + "\"$where\":\"sleep(1000)\",\"$set\":{\"a\":1},\"a.b\":\"dot\",\"$\":\"dollar\"}]}";
    ChangeEvent event =
        ChangeEvent.upsert("Patient", "k1", "1", T0, json.getBytes(StandardCharsets.UTF_8));
    writeAndFlush(event);

    assertStored(event);
  }

  @Test
  void multipleResourceTypesAreKeptApart() {
    ChangeEvent patient = patientVersion("1", 2);
    ChangeEvent observation = FhirFixtures.resource("Observation", "1", "5", T0);
    ChangeEvent olderObservation = FhirFixtures.resource("Observation", "1", "1", T0);
    writeAndFlush(patient, observation, olderObservation);
    writeAndFlush(patientDeletion("1", 3));

    assertThat(readBack("Patient", "1")).contains(new ReadBack("3", true, null));
    assertStored(observation);
    assertThat(readBack("Encounter", "1")).isEmpty();
  }
}

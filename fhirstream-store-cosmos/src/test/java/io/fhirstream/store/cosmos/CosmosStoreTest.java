package io.fhirstream.store.cosmos;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.WriterContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: dead letters, races, layouts, secrets, the ceiling. */
class CosmosStoreTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CosmosTestServer server;
  private static CosmosClient reader;

  private final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
  private final WriterContext context =
      () -> (event, reason) -> deadLetters.add(event.versionedReference() + ": " + reason);

  @BeforeAll
  static void start() {
    server = CosmosTestServer.shared();
    reader =
        new CosmosClientBuilder()
            .endpoint(server.endpoint())
            .key(server.key().value())
            .gatewayMode()
            .buildClient();
  }

  @AfterAll
  static void stop() {
    reader.close();
  }

  private static String newDatabase() {
    return "store-" + DATABASES.incrementAndGet();
  }

  private CosmosDocumentWriter open(CosmosStoreConfig config) {
    CosmosDocumentWriter writer = new CosmosDocumentWriter(config);
    writer.open(context);
    return writer;
  }

  private static ObjectNode item(String database, String container, String id) {
    return reader
        .getDatabase(database)
        .getContainer(container)
        .readItem(id, new PartitionKey(id), ObjectNode.class)
        .getItem();
  }

  /** Every message and toString in an exception's chain, suppressed ones included. */
  static String everything(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t).append('\n');
      for (Throwable suppressed : t.getSuppressed()) {
        out.append(everything(suppressed));
      }
    }
    return out.toString();
  }

  @Test
  void eventsCosmosCannotHoldAreDeadLetteredWithTheReasonAndTheBatchGoesOn() {
    String database = newDatabase();
    ChangeEvent tooLarge =
        ChangeEvent.upsert(
            "Patient", "big", "1", T0, FhirFixtures.patientOfSize("big", "1", T0, 2_100_000));
    ChangeEvent badType = FhirFixtures.resource("patient", "x", "1", T0);
    ChangeEvent notJson =
        ChangeEvent.upsert("Patient", "nj", "1", T0, "{oops".getBytes(StandardCharsets.UTF_8));
    try (CosmosDocumentWriter writer = open(server.config(database))) {
      writer.write(
          List.of(patientVersion("a", 1), tooLarge, badType, notJson, patientVersion("b", 1)));
      writer.flush();
    }

    assertThat(item(database, "Patient", "a").path("_fhirstream").path("versionId").asText())
        .isEqualTo("1");
    assertThat(item(database, "Patient", "b")).isNotNull();
    assertThat(deadLetters)
        .hasSize(3)
        .anyMatch(
            reason ->
                reason.matches(
                    "Patient/big/_history/1: the item is \\d+ bytes of JSON; Cosmos DB refuses"
                        + " items over 2 MB \\(2097152 bytes\\)"))
        .contains(
            "patient/x/_history/1: resourceType is not a FHIR resource type name"
                + " ([A-Z][A-Za-z]{0,63})",
            "Patient/nj/_history/1: the body is not valid JSON");
  }

  @Test
  void concurrentSinksOnTheSameIdsEndAtTheNewestVersion() throws Exception {
    String database = newDatabase();
    List<ChangeEvent> history = new ArrayList<>();
    for (int id = 0; id < 20; id++) {
      for (int version = 1; version <= 6; version++) {
        history.add(
            version == 4 ? patientDeletion("r" + id, version) : patientVersion("r" + id, version));
      }
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (long seed : new long[] {1, 2}) {
        writers.add(
            threads.submit(
                () -> {
                  List<ChangeEvent> mine = new ArrayList<>(history);
                  Collections.shuffle(mine, new Random(seed));
                  try (CosmosDocumentWriter writer = open(server.config(database))) {
                    for (int from = 0; from < mine.size(); from += 10) {
                      writeRetryingAsTheRuntimeWould(writer, mine.subList(from, from + 10));
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      threads.shutdownNow();
    }

    for (int id = 0; id < 20; id++) {
      assertThat(item(database, "Patient", "r" + id).path("_fhirstream").path("versionId").asText())
          .as("r%d", id)
          .isEqualTo("6");
    }
    assertThat(deadLetters).isEmpty();
  }

  /** Contention beyond the guard's rounds is retriable; the runtime would re-deliver. */
  private static void writeRetryingAsTheRuntimeWould(
      CosmosDocumentWriter writer, List<ChangeEvent> batch) {
    for (int attempt = 1; ; attempt++) {
      try {
        writer.write(batch);
        writer.flush();
        return;
      } catch (RetriableException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  @Test
  void anotherPartitionKeyPathCarriesTheIdAndTombstonesStayInTheirPartition() {
    String database = newDatabase();
    CosmosStoreConfig config = custom(server.config(database), "/pk", Duration.ofDays(7));
    try (CosmosDocumentWriter writer = open(config)) {
      writer.write(List.of(patientVersion("p1", 1)));
      writer.write(List.of(patientDeletion("p1", 2)));
      writer.write(List.of(patientVersion("p1", 1)));
    }

    CosmosContainer container = reader.getDatabase(database).getContainer("Patient");
    assertThat(container.read().getProperties().getPartitionKeyDefinition().getPaths())
        .containsExactly("/pk");
    ObjectNode tombstone =
        container.readItem("p1", new PartitionKey("p1"), ObjectNode.class).getItem();
    assertThat(tombstone.path("pk").asText()).isEqualTo("p1");
    assertThat(tombstone.path("_fhirstream").path("deleted").asBoolean()).isTrue();
    assertThat(tombstone.path("_fhirstream").path("versionId").asText()).isEqualTo("2");
    assertThat(tombstone.path("ttl").asInt()).isEqualTo(7 * 24 * 3600);
    assertThat(tombstone.has("resourceType")).isFalse();
  }

  @Test
  void anExistingContainerWithAnotherPartitionKeyStopsTheSinkNamingTheSetting() {
    String database = newDatabase();
    reader.createDatabaseIfNotExists(database);
    reader
        .getDatabase(database)
        .createContainer(new CosmosContainerProperties("Patient", "/subject"));

    try (CosmosDocumentWriter writer = open(server.config(database))) {
      assertThatThrownBy(() -> writer.write(List.of(patientVersion("p1", 1))))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining(CosmosStoreConfig.PARTITION_KEY_PATH)
          .hasMessageContaining("[/subject]");
    }
  }

  @Test
  void itemsWrittenByOtherToolsAreGuardedByTheirFhirMeta() throws Exception {
    String database = newDatabase();
    try (CosmosDocumentWriter writer = open(server.config(database))) {
      writer.write(List.of(patientVersion("other", 1)));
      ObjectNode foreign =
          (ObjectNode) JSON.readTree(FhirFixtures.patient("loaded", "5", T0.plusSeconds(300)));
      reader.getDatabase(database).getContainer("Patient").createItem(foreign);

      writer.write(List.of(patientVersion("loaded", 3)));
      assertThat(item(database, "Patient", "loaded").has("_fhirstream")).isFalse();

      writer.write(List.of(patientVersion("loaded", 6)));
      assertThat(item(database, "Patient", "loaded").path("_fhirstream").path("versionId").asText())
          .isEqualTo("6");
    }
  }

  @Test
  void theKeyAppearsInNoLogLineAndNoExceptionThroughAnOutage() throws Exception {
    String key = server.key().value();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    String failure;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (CosmosDocumentWriter writer = open(server.config(newDatabase()))) {
      writer.write(List.of(patientVersion("p1", 1)));
      try (AutoCloseable outage = server.outage()) {
        RetriableException thrown =
            org.junit.jupiter.api.Assertions.assertThrows(
                RetriableException.class, () -> writer.write(List.of(patientVersion("p1", 2))));
        failure = everything(thrown);
      }
      writer.write(List.of(patientVersion("p1", 2)));
    } finally {
      System.setErr(original);
    }

    assertThat(failure).contains("Cosmos DB").doesNotContain(key);
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain(key);
  }

  @Test
  void driverCeilingMeasuresRawBulkUpsertsAndCleansUp() {
    String database = newDatabase();
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      events.add(patientVersion("c" + i, 1));
    }

    double rate = CosmosDriverCeiling.upsertsPerSecond(server.config(database), events);

    assertThat(rate).isPositive();
    assertThat(reader.getDatabase(database).readAllContainers().stream()).isEmpty();
  }

  private static CosmosStoreConfig custom(
      CosmosStoreConfig base, String partitionKeyPath, Duration tombstoneTtl) {
    return new CosmosStoreConfig(
        base.endpoint(),
        base.auth(),
        base.key(),
        base.database(),
        base.containerPrefix(),
        partitionKeyPath,
        base.consistency(),
        base.mode(),
        base.preferredRegions(),
        base.batchSize(),
        base.requestTimeout(),
        tombstoneTtl);
  }
}

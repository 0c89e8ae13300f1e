package io.fhirstream.store.cosmos;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.DocumentReaderContract;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.StoredDocument;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Cosmos DB reader against the contract on {@code @vercel/cosmosdb-server}, a database per
 * test, and against plain point reads with the documented layout undone here, independently of the
 * store's code.
 */
class CosmosDocumentReaderTest extends DocumentReaderContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CosmosTestServer server;
  private static CosmosClient plain;
  private CosmosStoreConfig config;

  @BeforeAll
  static void start() {
    server = CosmosTestServer.shared();
    plain =
        new CosmosClientBuilder()
            .endpoint(server.endpoint())
            .key(server.key().value())
            .gatewayMode()
            .buildClient();
  }

  @AfterAll
  static void stop() {
    plain.close();
  }

  @Override
  protected DocumentWriter newWriter() {
    config = server.config("reader-" + DATABASES.incrementAndGet());
    return new CosmosDocumentWriter(config);
  }

  @Override
  protected DocumentReader newReader() {
    return CosmosDocumentReader.open(config);
  }

  /** Items are parsed JSON. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  @Test
  void readsWhatPlainPointReadsGiveWithTheDocumentedLayoutUndone() throws Exception {
    String observation =
        "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"meta\":{\"versionId\":\"1\"},"
            + "\"valueQuantity\":{\"value\":150.0},\"component\":[{\"valueQuantity\":"
            + "{\"value\":9007199254740993}},{\"valueQuantity\":{\"value\":0.25}}]}";
    Instant precise = Instant.parse("2024-05-01T08:00:00.123456789Z");
    List<ChangeEvent> events =
        List.of(
            patientVersion("p1", 2),
            patientDeletion("p2", 3),
            FhirFixtures.resource("Patient", "p3", "x", precise),
            ChangeEvent.upsert(
                "Observation", "o1", "1", T0, observation.getBytes(StandardCharsets.UTF_8)));
    writeAndFlush(events);

    for (ChangeEvent event : events) {
      ObjectNode item =
          plain
              .getDatabase(config.database())
              .getContainer(event.resourceType())
              .readItem(event.id(), new PartitionKey(event.id()), ObjectNode.class)
              .getItem();
      ObjectNode ours = (ObjectNode) item.remove("_fhirstream");
      StoredDocument read = reader().read(event.resourceType(), event.id()).orElseThrow();
      assertThat(read.versionId()).isEqualTo(ours.path("versionId").asText(null));
      assertThat(read.lastUpdated())
          .isEqualTo(Instant.parse(ours.path("lastUpdated").asText()))
          .isEqualTo(event.lastUpdated());
      assertThat(read.deleted()).isEqualTo(ours.path("deleted").asBoolean());
      if (read.deleted()) {
        assertThat(read.resource()).isNull();
      } else {
        assertThat(JSON.readTree(read.resource())).isEqualTo(undone(item, ours));
      }
    }
  }

  /** The layout undone as docs/stores/cosmos.md describes it, without the store's code. */
  private static JsonNode undone(ObjectNode item, ObjectNode ours) throws Exception {
    item.remove(List.of("_rid", "_self", "_etag", "_attachments", "_ts"));
    if (ours.has("bodyId")) {
      item.set("id", ours.get("bodyId"));
    }
    ours.path("decimals")
        .fields()
        .forEachRemaining(
            exact -> {
              JsonPointer pointer = JsonPointer.compile(exact.getKey());
              JsonNode parent = item.at(pointer.head());
              JsonNode value =
                  JsonNodeFactory.instance.rawValueNode(new RawValue(exact.getValue().asText()));
              if (parent instanceof ObjectNode object) {
                object.set(pointer.last().getMatchingProperty(), value);
              } else {
                ((ArrayNode) parent).set(pointer.last().getMatchingIndex(), value);
              }
            });
    return JSON.readTree(JSON.writeValueAsString(item));
  }

  @Test
  void resourceTypesAreTheContainersOfThisLayoutOnly() {
    writeAndFlush(patientVersion("p1", 1));
    CosmosDatabase database = plain.getDatabase(config.database());
    // Another partition key, the driver ceiling's scratch container, a name that is no type.
    database.createContainer(new CosmosContainerProperties("Person", "/subject"));
    database.createContainer(new CosmosContainerProperties("fhirstream-ceiling-1", "/id"));
    database.createContainer(new CosmosContainerProperties("notes", "/id"));

    assertThat(reader().resourceTypes()).containsExactly("Patient");
  }

  @Test
  void aContainerPrefixAndAnotherPartitionKeyPathAreUndone() {
    CosmosStoreConfig custom =
        custom(server.config("reader-custom-" + DATABASES.incrementAndGet()), "fhir-", "/pk");
    ChangeEvent patient = patientVersion("p1", 1);
    ChangeEvent deletion = patientDeletion("p2", 2);
    try (CosmosDocumentWriter writer = new CosmosDocumentWriter(custom)) {
      writer.open(() -> (event, reason) -> {});
      writer.write(List.of(patient, deletion));
    }

    try (CosmosDocumentReader reader = CosmosDocumentReader.open(custom)) {
      assertThat(reader.resourceTypes()).containsExactly("Patient");
      StoredDocument read = reader.read("Patient", "p1").orElseThrow();
      assertThat(read.resource()).doesNotContain("\"pk\"").contains("\"id\":\"p1\"");
      assertThat(reader.readAll("Patient")).containsOnlyKeys("p1", "p2");
      assertThat(reader.countDeleted("Patient")).isEqualTo(1);
      assertThat(reader.count("Patient")).isEqualTo(1);
    }
  }

  @Test
  void itemsOtherToolsWroteAreReadByTheirFhirMeta() throws Exception {
    writeAndFlush(patientVersion("ours", 1));
    byte[] body = FhirFixtures.patient("loaded", "5", T0.plusSeconds(300));
    plain
        .getDatabase(config.database())
        .getContainer("Patient")
        .createItem((ObjectNode) JSON.readTree(body));

    StoredDocument read = reader().read("Patient", "loaded").orElseThrow();
    assertThat(read.versionId()).isEqualTo("5");
    assertThat(read.lastUpdated()).isEqualTo(T0.plusSeconds(300));
    assertThat(read.deleted()).isFalse();
    assertThat(JSON.readTree(read.resource())).isEqualTo(JSON.readTree(body));
    StoredDocument scanned = reader().readAll("Patient").get("loaded");
    assertThat(scanned.versionId()).isEqualTo("5");
    assertThat(reader().count("Patient")).isEqualTo(2);
    assertThat(reader().countDeleted("Patient")).isZero();
  }

  @Test
  void namesThatAreNotResourceTypesNeverReachTheService() {
    writeAndFlush(patientVersion("p1", 1));

    assertThat(reader().read("Patient/../x", "p1")).isEmpty();
    assertThat(reader().count("dbs")).isZero();
    assertThat(reader().readAll("patient")).isEmpty();
  }

  @Test
  void databaseNeverWrittenIsAPipelineExceptionNamingItWithoutTheKey() {
    CosmosStoreConfig missing = server.config("never-written");

    assertThatThrownBy(() -> CosmosDocumentReader.open(missing))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("never-written")
        .hasMessageContaining(CosmosStoreConfig.DATABASE)
        .hasMessageNotContaining(server.key().value());
  }

  @Test
  void anOutageIsRetriableWithoutTheKeyAndTheSameReaderReadsAfterIt() throws Exception {
    ChangeEvent event = patientVersion("p1", 1);
    writeAndFlush(event);
    assertStored(event);

    try (AutoCloseable outage = server.outage()) {
      assertThatThrownBy(() -> reader().read("Patient", "p1"))
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining(config.database())
          .hasMessageNotContaining(server.key().value());
      assertThatThrownBy(() -> reader().scan("Patient", false, document -> {}))
          .isInstanceOf(RetriableException.class);
    }
    assertStored(event);
  }

  private static CosmosStoreConfig custom(
      CosmosStoreConfig base, String containerPrefix, String partitionKeyPath) {
    return new CosmosStoreConfig(
        base.endpoint(),
        base.auth(),
        base.key(),
        base.database(),
        containerPrefix,
        partitionKeyPath,
        base.consistency(),
        base.mode(),
        base.preferredRegions(),
        base.batchSize(),
        base.requestTimeout(),
        Duration.ZERO);
  }
}

package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosException;
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
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Cosmos DB store against the contract, on {@code @vercel/cosmosdb-server}; each test gets a
 * database of its own. Read-back uses a client of its own with plain point reads.
 */
class CosmosDocumentWriterTest extends DocumentWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static CosmosTestServer server;
  private static CosmosClient reader;
  private String database;

  @BeforeAll
  static void connectReader() {
    server = CosmosTestServer.shared();
    reader =
        new CosmosClientBuilder()
            .endpoint(server.endpoint())
            .key(server.key().value())
            .gatewayMode()
            .buildClient();
  }

  @AfterAll
  static void closeReader() {
    reader.close();
  }

  @Override
  protected DocumentWriter newSink() {
    database = "contract-" + DATABASES.incrementAndGet();
    return newSinkOverSameStore();
  }

  @Override
  protected DocumentWriter newSinkOverSameStore() {
    return new CosmosDocumentWriter(server.config(database));
  }

  /** The server stops listening and drops every connection: clients get connection refused. */
  @Override
  protected AutoCloseable interruptStore() {
    return server.outage();
  }

  /**
   * Azure refuses items over 2 MB; this server takes any size, so the sink refuses them itself
   * before sending, as Azure would answer 413.
   */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    return Optional.of(
        ChangeEvent.upsert(
            "Patient",
            "too-large",
            "1",
            FhirFixtures.T0,
            FhirFixtures.patientOfSize("too-large", "1", FhirFixtures.T0, 2 * 1024 * 1024 + 1)));
  }

  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    ObjectNode item;
    try {
      item =
          reader
              .getDatabase(database)
              .getContainer(resourceType)
              .readItem(id, new PartitionKey(id), ObjectNode.class)
              .getItem();
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    // The documented layout, read independently of the sink's code.
    ObjectNode ours = (ObjectNode) item.remove("_fhirstream");
    boolean deleted = ours.path("deleted").asBoolean();
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
              // The text as written: a decimal node would print 150E0 as the integer 150.
              JsonNode value =
                  JsonNodeFactory.instance.rawValueNode(new RawValue(exact.getValue().asText()));
              if (parent instanceof ObjectNode object) {
                object.set(pointer.last().getMatchingProperty(), value);
              } else {
                ((ArrayNode) parent).set(pointer.last().getMatchingIndex(), value);
              }
            });
    try {
      return Optional.of(
          new ReadBack(
              ours.path("versionId").asText(null),
              deleted,
              deleted ? null : JSON.writeValueAsBytes(item)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}

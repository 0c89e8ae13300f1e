package io.fhirstream.store.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The MongoDB store against the contract, on mongo-java-server, a fresh database per test. */
class MongoDocumentWriterTest extends DocumentWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static MongoTestServer server;
  private static MongoClient reader;
  private String database;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.shared();
    reader = MongoClients.create(server.connectionString());
  }

  @AfterAll
  static void closeReader() {
    reader.close();
  }

  @Override
  protected DocumentWriter newSink() {
    database = "contract" + DATABASES.incrementAndGet();
    return newSinkOverSameStore();
  }

  @Override
  protected DocumentWriter newSinkOverSameStore() {
    return new MongoDocumentWriter(server.config(database));
  }

  /** The server goes away (connections closed, port refused) and comes back with its data. */
  @Override
  protected AutoCloseable interruptStore() {
    return server.outage();
  }

  /** A decimal of 40 significant digits: MongoDB's decimal128 holds 34, and rounding is refused. */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    String json =
        "{\"resourceType\":\"Observation\",\"id\":\"precise\",\"valueQuantity\":{\"value\":"
            + "1234567890123456789012345678901234567890.5}}";
    return Optional.of(
        ChangeEvent.upsert(
            "Patient", "precise", "1", FhirFixtures.T0, json.getBytes(StandardCharsets.UTF_8)));
  }

  /** Documents are parsed into BSON: compared as JSON trees. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  /** The driver on a client of its own, against the documented fields. */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    BsonDocument stored =
        reader
            .getDatabase(database)
            .getCollection(resourceType, BsonDocument.class)
            .find(Filters.eq("_id", id))
            .first();
    if (stored == null) {
      return Optional.empty();
    }
    String versionId =
        stored.get("versionId").isNull() ? null : stored.getString("versionId").getValue();
    BsonDocument resource = stored.getDocument("resource", null);
    return Optional.of(
        new ReadBack(
            versionId,
            stored.getBoolean("deleted").getValue(),
            resource == null ? null : BsonToJson.toJson(resource)));
  }
}

package io.fhirstream.store.mongodb;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The MongoDB store against the contract, on mongo-java-server, a fresh database per test. */
class MongoDocumentWriterTest extends DocumentWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static MongoTestServer server;
  private String database;
  private MongoDocumentReader reader;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.shared();
  }

  @Override
  protected DocumentWriter newWriter() {
    database = "contract" + DATABASES.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected DocumentWriter newWriterOverSameStore() {
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

  /**
   * Through the store's own reader, on a client of its own; {@code MongoDocumentReaderTest} checks
   * the reader against the plain driver on the documented fields.
   */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    if (reader == null) {
      if (!server.holdsCollections(database)) {
        // Nothing flushed yet, so MongoDB has no database to read: the reader refuses to open on
        // one (MongoDocumentReaderTest), and there is nothing to read back.
        return Optional.empty();
      }
      reader = MongoDocumentReader.open(server.config(database));
    }
    return reader.read(resourceType, id).map(ReadBack::of);
  }

  @AfterEach
  void closeReader() {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }
}

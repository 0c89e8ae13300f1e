package io.fhirstream.store.cosmos;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Cosmos DB store against the contract, on {@code @vercel/cosmosdb-server}; each test gets a
 * database of its own. Read-back goes through {@link CosmosDocumentReader}, a client of its own.
 */
class CosmosDocumentWriterTest extends DocumentWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static CosmosTestServer server;
  private String database;
  private CosmosDocumentReader reader;

  @BeforeAll
  static void startServer() {
    server = CosmosTestServer.shared();
  }

  @Override
  protected DocumentWriter newWriter() {
    database = "contract-" + DATABASES.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected DocumentWriter newWriterOverSameStore() {
    return new CosmosDocumentWriter(server.config(database));
  }

  /** The server stops listening and drops every connection: clients get connection refused. */
  @Override
  protected AutoCloseable interruptStore() {
    return server.outage();
  }

  /**
   * Azure refuses items over 2 MB; this server takes any size, so the writer refuses them itself
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

  /**
   * Through the store's own reader, on a client of its own; {@code CosmosDocumentReaderTest} checks
   * the reader against plain point reads with the documented layout undone there.
   */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    if (reader == null) {
      reader = CosmosDocumentReader.open(server.config(database));
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

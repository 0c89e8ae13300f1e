package io.fhirstream.store.cosmos;

import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.ResultWriterContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * Cosmos DB's analytics results against the contract, on {@code @vercel/cosmosdb-server}, a
 * database of its own per test; the outage is the server refusing connections until it listens
 * again, data kept.
 */
class CosmosResultWriterTest extends ResultWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static CosmosTestServer server;
  private String database;

  @BeforeAll
  static void startServer() {
    server = CosmosTestServer.shared();
  }

  @Override
  protected ResultWriter newWriter() {
    database = "results-" + DATABASES.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected ResultWriter newWriterOverSameStore() {
    return new CosmosResultWriter(server.config(database));
  }

  @Override
  protected ResultReader newReader() {
    return CosmosResultReader.open(server.config(database));
  }

  @Override
  protected AutoCloseable interruptStore() {
    return server.outage();
  }
}

package io.fhirstream.store.mongodb;

import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.ResultWriterContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/**
 * MongoDB's analytics results against the contract, on mongo-java-server, a fresh database per
 * test; the outage is the server going away and coming back with its data.
 */
class MongoResultWriterTest extends ResultWriterContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static MongoTestServer server;
  private String database;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.shared();
  }

  @Override
  protected ResultWriter newWriter() {
    database = "results" + DATABASES.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected ResultWriter newWriterOverSameStore() {
    return new MongoResultWriter(server.config(database));
  }

  @Override
  protected ResultReader newReader() {
    return MongoResultReader.open(server.config(database));
  }

  @Override
  protected AutoCloseable interruptStore() {
    return server.outage();
  }
}

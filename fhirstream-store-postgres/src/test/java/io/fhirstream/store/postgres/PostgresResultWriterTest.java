package io.fhirstream.store.postgres;

import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.ResultWriterContract;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL's analytics results against the contract, on the embedded server this JVM's tests
 * share, each test in a schema of its own; the outage is the server shutting down and starting
 * again on the same port and data.
 */
class PostgresResultWriterTest extends ResultWriterContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String schema;

  @Override
  protected ResultWriter newWriter() {
    schema = "results_" + SCHEMAS.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected ResultWriter newWriterOverSameStore() {
    return new PostgresResultWriter(server.sinkConfig(schema));
  }

  @Override
  protected ResultReader newReader() {
    return PostgresResultReader.open(server.sinkConfig(schema));
  }

  @Override
  protected AutoCloseable interruptStore() throws IOException {
    return server.outage();
  }
}

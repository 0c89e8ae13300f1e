package io.fhirstream.store.postgres;

import java.io.IOException;

/**
 * The contract against the embedded PostgreSQL server shared by this JVM's tests; the outage is the
 * server shutting down and starting again on the same port and data.
 */
class PostgresDocumentWriterTest extends PostgresWriterContractBase {
  private final PostgresTestServer server = PostgresTestServer.shared();

  @Override
  protected PostgresStoreConfig config(String schema) {
    return server.sinkConfig(schema);
  }

  @Override
  protected AutoCloseable interruptStore() throws IOException {
    dropReader();
    return server.outage();
  }
}

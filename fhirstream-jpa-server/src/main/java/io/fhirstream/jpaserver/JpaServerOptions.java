package io.fhirstream.jpaserver;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one server process is started with.
 *
 * @param port the TCP port on 127.0.0.1; 0 picks a free one
 * @param dataDir where H2 keeps its files; empty for an in-memory database gone at exit
 * @param dbConnections JDBC connections in the pool, an upper bound on concurrent transactions
 * @param subscriptions whether rest-hook Subscriptions are served; when on, every write is also
 *     queued for subscription matching (its thread took 12% of the server's CPU samples while
 *     Synthea bundles were loaded, with no Subscription active)
 */
record JpaServerOptions(
    int port, Optional<Path> dataDir, int dbConnections, boolean subscriptions) {
  JpaServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535 (0 = a free port), was " + port);
    }
    if (dbConnections < 1) {
      throw new IllegalArgumentException(
          "--db-connections must be at least 1, was " + dbConnections);
    }
  }

  /**
   * The H2 URL. File databases are closed by the server's own shutdown, not by H2's exit hook,
   * which could close the database under a transaction still being committed.
   */
  String jdbcUrl() {
    return dataDir
        .map(
            dir ->
                "jdbc:h2:file:" + dir.toAbsolutePath().resolve("fhir") + ";DB_CLOSE_ON_EXIT=FALSE")
        .orElse("jdbc:h2:mem:fhir;DB_CLOSE_DELAY=-1");
  }
}

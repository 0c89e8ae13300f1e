package io.fhirstream.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The contract against a server of your own, when {@code FHIRSTREAM_TEST_POSTGRES_URL} (and {@code
 * _USER}, {@code _PASSWORD}) are set; skipped otherwise. The role needs CREATE on the database:
 * each test writes into a schema of its own, dropped at the end. The outage terminates the writer's
 * sessions ({@code pg_terminate_backend}), as a failover or an administrator would.
 */
@EnabledIfEnvironmentVariable(named = "FHIRSTREAM_TEST_POSTGRES_URL", matches = ".+")
class PostgresExternalServerDocumentWriterTest extends PostgresWriterContractBase {
  private static final List<String> CREATED = new ArrayList<>();
  private final String applicationName = "fhirstream-test-" + UUID.randomUUID();

  private static String env(String suffix) {
    String value = System.getenv("FHIRSTREAM_TEST_POSTGRES_" + suffix);
    return value == null ? "" : value;
  }

  @Override
  protected PostgresStoreConfig config(String schema) {
    synchronized (CREATED) {
      if (!CREATED.contains(schema)) {
        CREATED.add(schema);
      }
    }
    String password = env("PASSWORD");
    return PostgresStoreConfig.of(env("URL"), env("USER"), password.isEmpty() ? null : password)
        .withSchema(schema)
        .withApplicationName(applicationName);
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(env("URL"), env("USER"), env("PASSWORD"));
  }

  @Override
  protected AutoCloseable interruptStore() throws SQLException {
    try (Connection admin = admin();
        PreparedStatement terminate =
            admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE application_name = ?")) {
      terminate.setString(1, applicationName);
      terminate.execute();
    }
    return () -> {};
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    try (Connection admin = admin();
        Statement statement = admin.createStatement()) {
      for (String schema : CREATED) {
        statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
  }
}

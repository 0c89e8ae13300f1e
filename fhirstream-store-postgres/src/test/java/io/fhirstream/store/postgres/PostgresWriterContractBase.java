package io.fhirstream.store.postgres;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The PostgreSQL store against the contract, each test in a fresh schema, read back with plain SQL
 * on a connection of its own against the documented columns. Subclasses say which server.
 */
abstract class PostgresWriterContractBase extends DocumentWriterContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  protected String schema;
  private Connection reader;

  /** Tables seen to exist; no test drops one, so each is looked up once. */
  private final java.util.Set<String> existingTables = new java.util.HashSet<>();

  /** Settings for a sink writing into {@code schema} on the server under test. */
  protected abstract PostgresStoreConfig config(String schema);

  /** A new connection for reading back, auto-commit on. */
  protected abstract Connection newReaderConnection() throws SQLException;

  @Override
  protected DocumentWriter newSink() {
    schema =
        getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).replace("test", "")
            + "_"
            + SCHEMAS.incrementAndGet();
    return newSinkOverSameStore();
  }

  @Override
  protected DocumentWriter newSinkOverSameStore() {
    return new PostgresDocumentWriter(config(schema));
  }

  /** jsonb keeps the parsed document, not the bytes: compared as JSON. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  /** jsonb refuses the escape {@code \u0000} in a string (SQLSTATE 22P05). */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    byte[] body =
        "{\"resourceType\":\"Patient\",\"id\":\"nul\",\"name\":[{\"family\":\"A\\u0000B\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    return Optional.of(ChangeEvent.upsert("Patient", "nul", "1", FhirFixtures.T0, body));
  }

  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    String table = '"' + schema + "\".\"" + resourceType + '"';
    try {
      Connection connection = reader();
      if (!existingTables.contains(table)) {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?)")) {
          exists.setString(1, table);
          try (ResultSet rows = exists.executeQuery()) {
            rows.next();
            if (rows.getString(1) == null) {
              return Optional.empty();
            }
          }
        }
        existingTables.add(table);
      }
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT version_id, deleted, resource::text FROM " + table + " WHERE id = ?")) {
        query.setString(1, id);
        try (ResultSet rows = query.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          return Optional.of(ReadBack.of(rows.getString(1), rows.getBoolean(2), rows.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("reading back " + resourceType + "/" + id, e);
    }
  }

  private Connection reader() throws SQLException {
    if (reader == null) {
      reader = newReaderConnection();
    }
    return reader;
  }

  /** Forgets the reading connection, e.g. before an outage kills it. */
  protected void dropReader() throws SQLException {
    if (reader != null) {
      try {
        reader.close();
      } finally {
        reader = null;
      }
    }
  }

  @AfterEach
  void closeReader() throws SQLException {
    dropReader();
  }
}

package io.fhirstream.store.sqlite;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the contract, on a file in a temporary directory. */
class SqliteDocumentWriterTest extends DocumentWriterContract {
  @TempDir Path directory;
  private Path file;
  private Connection reader;

  @Override
  protected DocumentWriter newSink() {
    file = directory.resolve("store-" + System.nanoTime() + ".db");
    return newSinkOverSameStore();
  }

  @Override
  protected DocumentWriter newSinkOverSameStore() {
    // A short busy timeout, so the outage test's lock fails a write quickly.
    return new SqliteDocumentWriter(
        new SqliteStoreConfig(file, Duration.ofMillis(100), SqliteStoreConfig.Synchronous.FULL));
  }

  /** Another connection takes the write lock, as a second process writing the file would. */
  @Override
  protected AutoCloseable interruptStore() throws SQLException {
    Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = other.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
    }
    return () -> {
      try (Statement statement = other.createStatement()) {
        statement.execute("ROLLBACK");
      } finally {
        other.close();
      }
    };
  }

  /** SQLite keeps documents as TEXT and refuses a body that is not UTF-8. */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    byte[] latin1 =
        "{\"resourceType\":\"Patient\",\"id\":\"latin1\",\"name\":[{\"family\":\"Müller\"}]}"
            .getBytes(StandardCharsets.ISO_8859_1);
    return Optional.of(ChangeEvent.upsert("Patient", "latin1", "1", FhirFixtures.T0, latin1));
  }

  /** Plain JDBC on a connection of its own, against the documented columns. */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    try {
      if (reader == null) {
        reader = DriverManager.getConnection("jdbc:sqlite:" + file);
      }
      try (PreparedStatement exists =
          reader.prepareStatement(
              "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
        exists.setString(1, resourceType);
        try (ResultSet rows = exists.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
        }
      }
      try (PreparedStatement query =
          reader.prepareStatement(
              "SELECT version_id, deleted, resource FROM \"" + resourceType + "\" WHERE id = ?")) {
        query.setString(1, id);
        try (ResultSet rows = query.executeQuery()) {
          if (!rows.next()) {
            return Optional.empty();
          }
          return Optional.of(
              ReadBack.of(rows.getString(1), rows.getInt(2) == 1, rows.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new AssertionError("reading back " + resourceType + "/" + id, e);
    }
  }

  @AfterEach
  void closeReader() throws SQLException {
    if (reader != null) {
      reader.close();
    }
  }
}

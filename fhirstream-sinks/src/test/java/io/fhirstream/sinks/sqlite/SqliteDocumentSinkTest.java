package io.fhirstream.sinks.sqlite;

import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the contract, on a file in a temporary directory. */
class SqliteDocumentSinkTest extends DocumentSinkContract {
  @TempDir Path directory;
  private Path file;
  private Connection reader;

  @Override
  protected DocumentSink newSink() {
    file = directory.resolve("store-" + System.nanoTime() + ".db");
    return newSinkOverSameStore();
  }

  @Override
  protected DocumentSink newSinkOverSameStore() {
    return new SqliteDocumentSink(SqliteSinkConfig.at(file));
  }

  /** Plain JDBC on a connection of its own, against the documented columns. */
  @Override
  protected Optional<StoredDocument> readBack(String resourceType, String id) {
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
              StoredDocument.of(rows.getString(1), rows.getInt(2) == 1, rows.getString(3)));
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

package io.fhirstream.store.sqlite;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a SQLite store on a read-only connection of its own, while a writer may be writing: each
 * call sees the transactions committed before it began. Not thread-safe.
 */
public final class SqliteDocumentReader implements DocumentReader {
  private static final String COLUMNS = "id, version_id, last_updated, deleted, resource";
  private static final String COLUMNS_WITHOUT_BODY = "id, version_id, last_updated, deleted, NULL";

  private final Path path;
  private final Connection connection;

  private SqliteDocumentReader(Path path, Connection connection) {
    this.path = path;
    this.connection = connection;
  }

  /**
   * Opens an existing store read-only.
   *
   * @throws PipelineException if there is no store at {@code path} or it cannot be opened
   */
  public static SqliteDocumentReader open(SqliteStoreConfig config) {
    return open(config.path());
  }

  /**
   * Opens an existing store read-only.
   *
   * @throws PipelineException if there is no store at {@code path} or it cannot be opened
   */
  public static SqliteDocumentReader open(Path path) {
    return new SqliteDocumentReader(
        path.toAbsolutePath(), SqliteDatabase.openForReading(path, 5_000));
  }

  @Override
  public List<String> resourceTypes() {
    List<String> types = new ArrayList<>();
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        if (DocumentTable.isValidName(rows.getString(1))) {
          types.add(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "listing the resource types", path);
    }
    return types;
  }

  @Override
  public Optional<StoredDocument> read(String resourceType, String id) {
    if (!hasTable(resourceType)) {
      return Optional.empty();
    }
    String sql =
        "SELECT " + COLUMNS + " FROM " + DocumentTable.quoted(resourceType) + " WHERE id = ?";
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(document(resourceType, rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading " + resourceType + "/" + id, path);
    }
  }

  @Override
  public void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor) {
    if (!hasTable(resourceType)) {
      return;
    }
    // The id column's default BINARY collation orders as Java compares these ASCII ids.
    String sql =
        "SELECT "
            + (withBodies ? COLUMNS : COLUMNS_WITHOUT_BODY)
            + " FROM "
            + DocumentTable.quoted(resourceType)
            + " ORDER BY id";
    try (PreparedStatement query = connection.prepareStatement(sql);
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        visitor.accept(document(resourceType, rows));
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading every " + resourceType, path);
    }
  }

  @Override
  public long count(String resourceType) {
    return count(resourceType, false);
  }

  @Override
  public long countDeleted(String resourceType) {
    return count(resourceType, true);
  }

  private long count(String resourceType, boolean deleted) {
    if (!hasTable(resourceType)) {
      return 0;
    }
    String sql =
        "SELECT count(*) FROM "
            + DocumentTable.quoted(resourceType)
            + " WHERE deleted = "
            + (deleted ? 1 : 0);
    try (PreparedStatement query = connection.prepareStatement(sql);
        ResultSet rows = query.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "counting " + resourceType, path);
    }
  }

  /** Whether the store has a table for the type; false for anything that is not a type name. */
  public boolean hasTable(String resourceType) {
    if (!DocumentTable.isValidName(resourceType)) {
      return false;
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
      query.setString(1, resourceType);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "looking for table " + resourceType, path);
    }
  }

  private static StoredDocument document(String resourceType, ResultSet row) throws SQLException {
    String lastUpdated = row.getString(3);
    return new StoredDocument(
        resourceType,
        row.getString(1),
        row.getString(2),
        lastUpdated == null ? null : Instant.parse(lastUpdated),
        row.getInt(4) == 1,
        row.getString(5));
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "closing the reader", path);
    }
  }
}

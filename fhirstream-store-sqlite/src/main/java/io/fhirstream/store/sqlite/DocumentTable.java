package io.fhirstream.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.regex.Pattern;

/**
 * The table of one resource type: its schema, the guarded upsert and a prepared statement reused
 * for every batch of the transaction.
 */
final class DocumentTable implements AutoCloseable {
  /** FHIR resource type names; anything else never reaches SQL, even quoted. */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]{0,63}");

  private final String name;
  private final PreparedStatement upsert;
  private int pending;

  private DocumentTable(String name, PreparedStatement upsert) {
    this.name = name;
    this.upsert = upsert;
  }

  /** Whether {@code resourceType} can name a table: {@code [A-Z][A-Za-z]{0,63}}. */
  static boolean isValidName(String resourceType) {
    return resourceType != null && TYPE_NAME.matcher(resourceType).matches();
  }

  static String quoted(String resourceType) {
    if (!isValidName(resourceType)) {
      throw new IllegalArgumentException("not a FHIR resource type name");
    }
    return '"' + resourceType + '"';
  }

  static String createSql(String resourceType) {
    return "CREATE TABLE IF NOT EXISTS "
        + quoted(resourceType)
        + " (id TEXT NOT NULL PRIMARY KEY,"
        + " version_id TEXT,"
        + " version_num INTEGER,"
        + " last_updated TEXT,"
        + " last_updated_ms INTEGER,"
        + " last_updated_nanos INTEGER,"
        + " deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),"
        + " resource TEXT,"
        + " CHECK ((deleted = 1) = (resource IS NULL)))";
  }

  /**
   * One statement, no read before write. The body arrives as a blob of UTF-8 bytes and is stored as
   * TEXT, so SQLite's JSON functions read it.
   *
   * <p>The guard: insert, or replace only when the incoming version is newer than the stored one,
   * exactly as {@link io.fhirstream.api.VersionOrder#isNewer}: by number when both versions are
   * numbers, else by lastUpdated when both have one, else never (what is stored is kept).
   */
  static String upsertSql(String resourceType) {
    String table = quoted(resourceType);
    return "INSERT INTO "
        + table
        + " (id, version_id, version_num, last_updated, last_updated_ms, last_updated_nanos,"
        + " deleted, resource) VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT))"
        + " ON CONFLICT (id) DO UPDATE SET version_id = excluded.version_id,"
        + " version_num = excluded.version_num, last_updated = excluded.last_updated,"
        + " last_updated_ms = excluded.last_updated_ms,"
        + " last_updated_nanos = excluded.last_updated_nanos, deleted = excluded.deleted,"
        + " resource = excluded.resource"
        + " WHERE CASE"
        + " WHEN excluded.version_num IS NOT NULL AND "
        + table
        + ".version_num IS NOT NULL THEN excluded.version_num > "
        + table
        + ".version_num"
        + " WHEN excluded.last_updated_ms IS NOT NULL AND "
        + table
        + ".last_updated_ms IS NOT NULL THEN (excluded.last_updated_ms,"
        + " excluded.last_updated_nanos) > ("
        + table
        + ".last_updated_ms, "
        + table
        + ".last_updated_nanos)"
        + " ELSE 0 END";
  }

  /** Creates the table if missing and prepares its upsert; call inside the write transaction. */
  static DocumentTable open(Connection connection, String resourceType) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(createSql(resourceType));
    }
    return new DocumentTable(resourceType, connection.prepareStatement(upsertSql(resourceType)));
  }

  /**
   * The name of an existing table that differs from {@code resourceType} only in case, or null.
   * SQLite table names ignore case, so such a type would write into another type's table.
   */
  static String caseClash(Connection connection, String resourceType) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
      query.setString(1, resourceType);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          if (!rows.getString(1).equals(resourceType)) {
            return rows.getString(1);
          }
        }
      }
    }
    return null;
  }

  String name() {
    return name;
  }

  /** Queues one row for {@link #execute()}. */
  void add(DocumentRow row) throws SQLException {
    upsert.setString(1, row.id());
    upsert.setString(2, row.versionId());
    setLong(3, row.versionNum());
    upsert.setString(4, row.lastUpdated());
    setLong(5, row.lastUpdatedMs());
    setLong(6, row.lastUpdatedNanos());
    upsert.setInt(7, row.deleted() ? 1 : 0);
    // Bound as bytes and cast to TEXT in SQL: stored exactly as received, no decode/encode.
    upsert.setBytes(8, row.resource());
    upsert.addBatch();
    pending++;
  }

  /** Runs the queued rows; returns how many were applied (the others were not newer). */
  int execute() throws SQLException {
    if (pending == 0) {
      return 0;
    }
    pending = 0;
    int applied = 0;
    for (int count : upsert.executeBatch()) {
      applied += count > 0 ? 1 : 0;
    }
    return applied;
  }

  private void setLong(int index, Long value) throws SQLException {
    if (value == null) {
      upsert.setNull(index, Types.INTEGER);
    } else {
      upsert.setLong(index, value);
    }
  }

  @Override
  public void close() throws SQLException {
    upsert.close();
  }
}

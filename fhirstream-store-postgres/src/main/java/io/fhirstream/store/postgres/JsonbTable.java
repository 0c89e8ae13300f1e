package io.fhirstream.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table of one resource type in one schema: its DDL and the version-guarded upsert.
 *
 * <p>Columns: {@code id} (primary key), {@code version_id}, {@code version_num} (the version id
 * when it is a plain integer, else null), {@code last_updated} (timestamptz, microseconds), {@code
 * last_updated_nanos} (the nanoseconds past that microsecond, 0–999, so the guard orders instants
 * exactly as the pipeline does), {@code deleted} and {@code resource} (jsonb, null for a
 * tombstone).
 */
final class JsonbTable {
  /**
   * FHIR resource type names; anything else never reaches SQL, even quoted. At most 50 characters
   * so that the index name derived from it stays within PostgreSQL's 63-byte identifiers (the
   * longest FHIR type has 30).
   */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]{0,49}");

  private final String qualifiedName;
  private final String upsertSql;

  JsonbTable(String schema, String resourceType) {
    this.qualifiedName = quote(schema) + "." + quote(resourceType);
    this.upsertSql = upsertSql(qualifiedName);
  }

  /** Whether {@code resourceType} can name a table: {@code [A-Z][A-Za-z]{0,49}}. */
  static boolean isValidName(String resourceType) {
    return resourceType != null && TYPE_NAME.matcher(resourceType).matches();
  }

  /** Quotes a name already checked to hold only letters, digits and underscores. */
  private static String quote(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a checked SQL name");
    }
    return '"' + name + '"';
  }

  /** The DDL, also given in docs/stores/postgres.md for DBAs who create tables themselves. */
  static List<String> createSql(String schema, String resourceType) {
    String table = quote(schema) + "." + quote(resourceType);
    return List.of(
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (id text PRIMARY KEY,"
            + " version_id text,"
            + " version_num bigint,"
            + " last_updated timestamptz,"
            + " last_updated_nanos integer,"
            + " deleted boolean NOT NULL,"
            + " resource jsonb,"
            + " CHECK (deleted = (resource IS NULL)))",
        // For incremental readers ("what changed since ..."); the guard itself uses the key.
        "CREATE INDEX IF NOT EXISTS "
            + quote(resourceType + "_last_updated")
            + " ON "
            + table
            + " (last_updated)");
  }

  /**
   * One statement, no read before write. The guard replaces the stored row only when the incoming
   * version is newer, exactly as {@link io.fhirstream.api.VersionOrder#isNewer}: by number when
   * both versions are numbers, else by lastUpdated when both have one, else never. The body arrives
   * as UTF-8 bytes and the server decodes it, so invalid UTF-8 is refused, never replaced.
   */
  static String upsertSql(String table) {
    return "INSERT INTO "
        + table
        + " AS stored (id, version_id, version_num, last_updated, last_updated_nanos, deleted,"
        + " resource) VALUES (?, ?, ?, ?::timestamptz, ?, ?, convert_from(?, 'UTF8')::jsonb)"
        + " ON CONFLICT (id) DO UPDATE SET version_id = EXCLUDED.version_id,"
        + " version_num = EXCLUDED.version_num, last_updated = EXCLUDED.last_updated,"
        + " last_updated_nanos = EXCLUDED.last_updated_nanos, deleted = EXCLUDED.deleted,"
        + " resource = EXCLUDED.resource"
        + " WHERE CASE"
        + " WHEN EXCLUDED.version_num IS NOT NULL AND stored.version_num IS NOT NULL"
        + " THEN EXCLUDED.version_num > stored.version_num"
        + " WHEN EXCLUDED.last_updated IS NOT NULL AND stored.last_updated IS NOT NULL"
        + " THEN (EXCLUDED.last_updated, EXCLUDED.last_updated_nanos)"
        + " > (stored.last_updated, stored.last_updated_nanos)"
        + " ELSE false END";
  }

  String qualifiedName() {
    return qualifiedName;
  }

  /**
   * Creates the table unless it exists. Checked first, so a role that may only write (the DBA
   * created the tables) never needs CREATE.
   */
  void createIfMissing(Connection connection, String schema, String resourceType)
      throws SQLException {
    try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?)")) {
      exists.setString(1, qualifiedName);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next() && rows.getString(1) != null) {
          return;
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (String ddl : createSql(schema, resourceType)) {
        statement.execute(ddl);
      }
    }
  }

  /** Sends rows as one JDBC batch, which the driver rewrites into multi-row statements. */
  void upsert(Connection connection, List<JsonbRow> rows) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(upsertSql)) {
      for (JsonbRow row : rows) {
        bind(upsert, row);
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /** Sends one row on its own, to find out whether the server takes it. */
  void upsertOne(Connection connection, JsonbRow row) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(upsertSql)) {
      bind(upsert, row);
      upsert.executeUpdate();
    }
  }

  private static void bind(PreparedStatement upsert, JsonbRow row) throws SQLException {
    upsert.setString(1, row.event().id());
    upsert.setString(2, row.event().versionId());
    if (row.versionNum() == null) {
      upsert.setNull(3, Types.BIGINT);
    } else {
      upsert.setLong(3, row.versionNum());
    }
    upsert.setString(4, row.lastUpdated());
    if (row.lastUpdatedNanos() == null) {
      upsert.setNull(5, Types.INTEGER);
    } else {
      upsert.setInt(5, row.lastUpdatedNanos());
    }
    upsert.setBoolean(6, row.event().deleted());
    // Bytes, not a String: no decode and re-encode in Java; the server checks the UTF-8.
    upsert.setBytes(7, row.event().body());
  }
}

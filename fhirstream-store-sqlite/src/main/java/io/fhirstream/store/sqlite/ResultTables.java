package io.fhirstream.store.sqlite;

import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.SourceVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;

/**
 * The two tables every view and aggregate share, and their guarded upserts.
 *
 * <p>{@value ResultNames#VIEW_VERSIONS}: per view and resource the version its rows were made from,
 * in the columns (and under the guard) of a document table ({@link DocumentTable}), so a deletion's
 * version stays after its rows are gone.
 *
 * <p>{@value ResultNames#AGGREGATE_RESULTS}: per aggregate and id the result document as JSON text,
 * its version, and whether it was removed (a tombstone keeps the version, the document is null).
 */
final class ResultTables {
  static final String VERSIONS = '"' + ResultNames.VIEW_VERSIONS + '"';
  static final String AGGREGATES = '"' + ResultNames.AGGREGATE_RESULTS + '"';

  private ResultTables() {}

  static void create(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + VERSIONS
              + " (view TEXT NOT NULL, resource_key TEXT NOT NULL, version_id TEXT,"
              + " version_num INTEGER, last_updated TEXT, last_updated_ms INTEGER,"
              + " last_updated_nanos INTEGER, deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),"
              + " PRIMARY KEY (view, resource_key))");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS "
              + AGGREGATES
              + " (aggregate TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,"
              + " deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)), document TEXT,"
              + " CHECK ((deleted = 1) = (document IS NULL)), PRIMARY KEY (aggregate, id))");
    }
  }

  /**
   * Stores a resource's version for a view unless the stored one is the same or newer, exactly as
   * {@link SourceVersion#isNewerThan}; one changed row means the caller replaces the rows.
   */
  static final String UPSERT_VERSION =
      "INSERT INTO "
          + VERSIONS
          + " AS stored (view, resource_key, version_id, version_num, last_updated,"
          + " last_updated_ms, last_updated_nanos, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (view, resource_key) DO UPDATE SET version_id = excluded.version_id,"
          + " version_num = excluded.version_num, last_updated = excluded.last_updated,"
          + " last_updated_ms = excluded.last_updated_ms,"
          + " last_updated_nanos = excluded.last_updated_nanos, deleted = excluded.deleted"
          + " WHERE CASE"
          + " WHEN excluded.version_num IS NOT NULL AND stored.version_num IS NOT NULL"
          + " THEN excluded.version_num > stored.version_num"
          + " WHEN excluded.last_updated_ms IS NOT NULL AND stored.last_updated_ms IS NOT NULL"
          + " THEN (excluded.last_updated_ms, excluded.last_updated_nanos)"
          + " > (stored.last_updated_ms, stored.last_updated_nanos)"
          + " ELSE 0 END";

  /** Writes a result unless the stored one has the same or a higher version. */
  static final String UPSERT_RESULT =
      "INSERT INTO "
          + AGGREGATES
          + " AS stored (aggregate, id, version, deleted, document)"
          + " VALUES (?, ?, ?, ?, CAST(? AS TEXT))"
          + " ON CONFLICT (aggregate, id) DO UPDATE SET version = excluded.version,"
          + " deleted = excluded.deleted, document = excluded.document"
          + " WHERE excluded.version > stored.version";

  /** Binds {@link #UPSERT_VERSION}'s parameters. */
  static void bindVersion(PreparedStatement upsert, String view, SourceVersion version)
      throws SQLException {
    upsert.setString(1, view);
    upsert.setString(2, version.resourceKey());
    upsert.setString(3, version.versionId());
    setLong(upsert, 4, io.fhirstream.api.VersionOrder.numeric(version.versionId()));
    Instant lastUpdated = version.lastUpdated();
    if (lastUpdated == null) {
      upsert.setNull(5, Types.VARCHAR);
      upsert.setNull(6, Types.INTEGER);
      upsert.setNull(7, Types.INTEGER);
    } else {
      // Instant keeps seconds floored and nanos non-negative: (ms, ns) orders as Instant does.
      upsert.setString(5, lastUpdated.toString());
      upsert.setLong(6, lastUpdated.toEpochMilli());
      upsert.setLong(7, lastUpdated.getNano() % 1_000_000);
    }
    upsert.setInt(8, version.deleted() ? 1 : 0);
  }

  private static void setLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }
}

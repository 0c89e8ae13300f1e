package io.fhirstream.store.sqlite;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What SQLite takes through plain JDBC: batched {@code INSERT OR REPLACE} into a scratch file next
 * to the store, one transaction per batch, same durability settings as the writer. The benchmark's
 * yardstick for the sink role; run by {@code fhirstream bench} (fhirstream-bench).
 */
public final class SqliteDriverCeiling {
  static final int BATCH = 2000;

  private SqliteDriverCeiling() {}

  public static double upsertsPerSecond(SqliteStoreConfig config, List<ChangeEvent> events) {
    Path scratch = config.path().toAbsolutePath().resolveSibling("driver-ceiling.db");
    SqliteStoreConfig scratchConfig =
        new SqliteStoreConfig(scratch, config.busyTimeout(), config.synchronous());
    try (Connection connection = SqliteDatabase.openForWriting(scratchConfig);
        Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS scratch (id TEXT PRIMARY KEY, version_id TEXT,"
              + " resource TEXT)");
      long start = System.nanoTime();
      try (PreparedStatement upsert =
          connection.prepareStatement(
              "INSERT OR REPLACE INTO scratch (id, version_id, resource) VALUES (?, ?, ?)")) {
        for (int from = 0; from < events.size(); from += BATCH) {
          ddl.execute("BEGIN IMMEDIATE");
          for (ChangeEvent event : events.subList(from, Math.min(events.size(), from + BATCH))) {
            upsert.setString(1, event.id());
            upsert.setString(2, event.versionId());
            upsert.setString(3, new String(event.body(), StandardCharsets.UTF_8));
            upsert.addBatch();
          }
          upsert.executeBatch();
          ddl.execute("COMMIT");
        }
      }
      return events.size() / ((System.nanoTime() - start) / 1e9);
    } catch (SQLException e) {
      throw new PipelineException("measuring SQLite's driver ceiling failed: " + e.getMessage(), e);
    } finally {
      for (String suffix : List.of("", "-wal", "-shm")) {
        try {
          Files.deleteIfExists(Path.of(scratch + suffix));
        } catch (java.io.IOException ignored) {
          // scratch space; a leftover file is harmless
        }
      }
    }
  }
}

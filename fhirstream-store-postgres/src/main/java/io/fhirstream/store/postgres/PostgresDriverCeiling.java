package io.fhirstream.store.postgres;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the bare driver achieves on a server, as the ceiling the writer's throughput is measured
 * against: a plain batched upsert (no version guard, no savepoints, no dead-letter handling) in
 * batches of {@code batch-size}, one transaction per batch, into a scratch table it creates and
 * drops in the configured schema.
 */
public final class PostgresDriverCeiling {
  private PostgresDriverCeiling() {}

  /**
   * Writes the events and returns documents per second. Within one batch only the last event per
   * resource is sent: a multi-row upsert cannot touch one row twice.
   *
   * @throws PipelineException (or RetriableException) when the server fails, without secrets
   */
  public static double upsertsPerSecond(PostgresStoreConfig config, List<ChangeEvent> events) {
    PostgresConnector connector = new PostgresConnector(config);
    String table =
        '"'
            + config.schema()
            + "\".\"fhirstream_ceiling_"
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
            + '"';
    try (Connection connection = connector.connect()) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "CREATE TABLE "
                + table
                + " (id text PRIMARY KEY, version_id text, last_updated timestamptz,"
                + " deleted boolean NOT NULL, resource jsonb)");
        connection.commit();
      }
      try {
        long start = System.nanoTime();
        write(connection, table, events, config.batchSize());
        double seconds = (System.nanoTime() - start) / 1e9;
        return events.size() / Math.max(seconds, 1e-9);
      } finally {
        try (Statement ddl = connection.createStatement()) {
          ddl.execute("DROP TABLE " + table);
          connection.commit();
        }
      }
    } catch (SQLException e) {
      throw PostgresErrors.translate(e, "measuring the driver ceiling", connector);
    }
  }

  private static void write(
      Connection connection, String table, List<ChangeEvent> events, int batchSize)
      throws SQLException {
    String sql =
        "INSERT INTO "
            + table
            + " (id, version_id, last_updated, deleted, resource)"
            + " VALUES (?, ?, ?::timestamptz, ?, convert_from(?, 'UTF8')::jsonb)"
            + " ON CONFLICT (id) DO UPDATE SET version_id = EXCLUDED.version_id,"
            + " last_updated = EXCLUDED.last_updated, deleted = EXCLUDED.deleted,"
            + " resource = EXCLUDED.resource";
    try (PreparedStatement upsert = connection.prepareStatement(sql)) {
      for (int from = 0; from < events.size(); from += batchSize) {
        Map<String, ChangeEvent> batch = new LinkedHashMap<>();
        for (ChangeEvent event : events.subList(from, Math.min(events.size(), from + batchSize))) {
          batch.put(event.resourceType() + '/' + event.id(), event);
        }
        for (Map.Entry<String, ChangeEvent> entry : batch.entrySet()) {
          ChangeEvent event = entry.getValue();
          upsert.setString(1, entry.getKey());
          upsert.setString(2, event.versionId());
          upsert.setString(3, event.lastUpdated() == null ? null : event.lastUpdated().toString());
          upsert.setBoolean(4, event.deleted());
          upsert.setBytes(5, event.body());
          upsert.addBatch();
        }
        upsert.executeBatch();
        connection.commit();
      }
    }
  }
}

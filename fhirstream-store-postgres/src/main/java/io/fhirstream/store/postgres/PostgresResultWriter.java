package io.fhirstream.store.postgres;

import io.fhirstream.api.RetriableException;
import io.fhirstream.api.results.ResultBatch;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.WriterContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the analytics role's results into the store's schema ({@link ResultSchema}): typed view
 * tables, their rows' versions and the aggregates' documents.
 *
 * <p>{@link #replaceRows} and {@link #putResult} keep the newest per resource and id ({@link
 * ResultBatch}); {@link #flush} applies them in one transaction ({@link ViewRowsWrite}, then the
 * aggregates' guarded upserts) and commits. A failure rolls the transaction back by dropping the
 * connection; the runtime re-delivers and the next flush reconnects.
 */
public final class PostgresResultWriter implements ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresResultWriter.class);

  private final PostgresStoreConfig config;
  private final PostgresConnector connector;
  private final ResultSchema schema;
  private final Map<String, ViewTable> views = new HashMap<>();
  private final ResultBatch pending = new ResultBatch();
  private Connection connection;
  private boolean open;

  public PostgresResultWriter(PostgresStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.connector = new PostgresConnector(config);
    this.schema = new ResultSchema(config.schema());
  }

  /** Connects, checks the server and database, creates the schema and shared tables if missing. */
  @Override
  public void open(WriterContext context) {
    if (open) {
      throw new IllegalStateException("the result writer is already open");
    }
    inTransaction(
        "opening the store for analytics results",
        () -> {
          PostgresStoreSetup.prepare(connection, config.schema(), connector);
          schema.createShared(connection);
        });
    open = true;
    LOG.info("PostgreSQL store {} open for analytics results", connector.where());
  }

  @Override
  public void defineView(ViewTable view) {
    requireOpen();
    inTransaction(
        "defining view " + view.name(),
        () -> {
          if (schema.define(connection, view)) {
            // A new table (perhaps dropped to change a column's type): versions of rows it no
            // longer has would make the guard skip their re-delivery.
            try (PreparedStatement forget =
                connection.prepareStatement(
                    "DELETE FROM " + schema.versions() + " WHERE view = ?")) {
              forget.setString(1, view.name());
              forget.executeUpdate();
            }
          }
        });
    views.put(view.name(), view);
  }

  @Override
  public void replaceRows(String view, SourceVersion version, List<List<Object>> rows) {
    requireOpen();
    ViewTable table = views.get(view);
    if (table == null) {
      throw new IllegalArgumentException("view " + view + " was not defined with defineView");
    }
    rows.forEach(table::requireRow);
    pending.addRows(view, version, rows);
  }

  @Override
  public void putResult(String aggregate, String id, long version, byte[] document) {
    requireOpen();
    ResultNames.requireAggregateName(aggregate);
    pending.addResult(aggregate, id, version, document);
  }

  /** Applies what was kept since the last flush in one transaction and commits it. */
  @Override
  public void flush() {
    requireOpen();
    if (pending.isEmpty()) {
      return;
    }
    int count = pending.size();
    try {
      inTransaction("writing " + count + " results", this::apply);
      LOG.debug("committed {} view resources and aggregate results", count);
    } finally {
      // Committed, or rolled back for the runtime to re-deliver: no longer ours to keep.
      pending.clear();
    }
  }

  private void apply() throws SQLException {
    for (Map.Entry<String, List<ResultBatch.Rows>> view : pending.rowsByView().entrySet()) {
      ViewRowsWrite write = new ViewRowsWrite(schema, views.get(view.getKey()));
      List<ResultBatch.Rows> resources = view.getValue();
      for (int from = 0; from < resources.size(); from += config.batchSize()) {
        write.apply(
            connection,
            resources.subList(from, Math.min(resources.size(), from + config.batchSize())));
      }
    }
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO "
                + schema.aggregates()
                + " AS stored (aggregate, id, version, deleted, document)"
                + " VALUES (?, ?, ?, ?, convert_from(?, 'UTF8')::jsonb)"
                + " ON CONFLICT (aggregate, id) DO UPDATE SET version = EXCLUDED.version,"
                + " deleted = EXCLUDED.deleted, document = EXCLUDED.document"
                + " WHERE EXCLUDED.version > stored.version")) {
      int batched = 0;
      for (List<ResultBatch.Result> results : pending.resultsByAggregate().values()) {
        for (ResultBatch.Result result : results) {
          upsert.setString(1, result.aggregate());
          upsert.setString(2, result.id());
          upsert.setLong(3, result.version());
          upsert.setBoolean(4, result.document() == null);
          // Bytes, decoded by the server, which refuses invalid UTF-8.
          upsert.setBytes(5, result.document());
          upsert.addBatch();
          if (++batched % config.batchSize() == 0) {
            upsert.executeBatch();
          }
        }
      }
      upsert.executeBatch();
    }
  }

  private interface Work {
    void run() throws SQLException;
  }

  /** Runs {@code work} on the connection (reconnecting if needed) and commits it. */
  private void inTransaction(String doing, Work work) {
    try {
      if (connection == null) {
        connection = connector.connect();
      }
      work.run();
      connection.commit();
    } catch (SQLException e) {
      dropConnection();
      String state = PostgresErrors.sqlState(e);
      if (state.equals("23505") || state.equals("42P07")) {
        // Another instance created the same table at the same moment.
        throw new RetriableException(
            "a table was being created by another session while " + doing, e);
      }
      throw PostgresErrors.translate(e, doing, connector);
    } catch (RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /** Rolls back by disconnecting: a connection that just failed is not trusted again. */
  private void dropConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("closing the connection to {} failed: {}", connector.where(), e.getSQLState());
    } finally {
      connection = null;
    }
  }

  /** Drops what was not flushed (the runtime re-delivers it) and disconnects. */
  @Override
  public void close() {
    if (!pending.isEmpty()) {
      LOG.info("closing with {} results not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    dropConnection();
    open = false;
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException("open the result writer first");
    }
  }
}

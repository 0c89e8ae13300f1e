package io.fhirstream.store.sqlite;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.JsonColumns;
import io.fhirstream.api.results.ResultBatch;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.WriterContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the analytics role's results into the SQLite file the documents are in: a table per view
 * ({@link ViewSchema}), the versions of its rows and the aggregates' documents in the shared tables
 * ({@link ResultTables}).
 *
 * <p>{@link #replaceRows} and {@link #putResult} keep the newest per resource and id ({@link
 * ResultBatch}); {@link #flush} applies them in one transaction and commits. Per resource: the
 * guarded upsert of its version decides, and only when it changed a row are the resource's rows
 * deleted and the new ones inserted, so a resource's rows always match the version stored beside
 * them. A failed flush is rolled back whole; the runtime re-delivers it.
 */
public final class SqliteResultWriter implements ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteResultWriter.class);

  private final SqliteStoreConfig config;
  private final Path path;
  private final Map<String, ViewTable> views = new HashMap<>();
  private final ResultBatch pending = new ResultBatch();
  private Connection connection;
  private Statement control;

  public SqliteResultWriter(SqliteStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.path = config.path().toAbsolutePath();
  }

  /** Opens (and if needed creates) the store's file and the shared result tables. */
  @Override
  public void open(WriterContext context) {
    if (connection != null) {
      throw new IllegalStateException("the result writer is already open");
    }
    connection = SqliteDatabase.openForWriting(config);
    try {
      control = connection.createStatement();
      inTransaction("creating the result tables", () -> ResultTables.create(connection));
    } catch (SQLException e) {
      close();
      throw SqliteErrors.translate(e, "opening the store", path);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("SQLite store {} open for analytics results", path);
  }

  @Override
  public void defineView(ViewTable view) {
    requireOpen();
    inTransaction(
        "defining view " + view.name(),
        () -> {
          if (ViewSchema.define(connection, view)) {
            // A new table (perhaps dropped to change a column's type): versions of rows it no
            // longer has would make the guard skip their re-delivery.
            try (PreparedStatement forget =
                connection.prepareStatement(
                    "DELETE FROM " + ResultTables.VERSIONS + " WHERE view = ?")) {
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
    if (document != null && !Utf8.isValid(document)) {
      throw new IllegalArgumentException("the result document of " + aggregate + " is not UTF-8");
    }
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
      LOG.debug("committed {} view resources and aggregate results to {}", count, path);
    } finally {
      // Committed, or rolled back for the runtime to re-deliver: no longer ours to keep.
      pending.clear();
    }
  }

  private void apply() throws SQLException {
    int replaced = 0;
    for (Map.Entry<String, List<ResultBatch.Rows>> view : pending.rowsByView().entrySet()) {
      replaced += applyRows(views.get(view.getKey()), view.getValue());
    }
    try (PreparedStatement upsert = connection.prepareStatement(ResultTables.UPSERT_RESULT)) {
      for (List<ResultBatch.Result> results : pending.resultsByAggregate().values()) {
        for (ResultBatch.Result result : results) {
          upsert.setString(1, result.aggregate());
          upsert.setString(2, result.id());
          upsert.setLong(3, result.version());
          upsert.setInt(4, result.document() == null ? 1 : 0);
          // Bytes cast to TEXT in SQL, as the documents are: stored exactly as given.
          upsert.setBytes(5, result.document());
          upsert.addBatch();
        }
      }
      upsert.executeBatch();
    }
    LOG.debug("replaced the rows of {} resources", replaced);
  }

  private int applyRows(ViewTable view, List<ResultBatch.Rows> resources) throws SQLException {
    String table = ViewSchema.quote(view.name());
    StringBuilder insertSql =
        new StringBuilder("INSERT INTO ")
            .append(table)
            .append(" (")
            .append(ViewSchema.quote(ViewSchema.RESOURCE_KEY))
            .append(", ")
            .append(ViewSchema.quote(ViewSchema.ROW));
    StringBuilder values = new StringBuilder("?, ?");
    for (ViewTable.Column column : view.columns()) {
      insertSql.append(", ").append(ViewSchema.quote(column.name()));
      values.append(", ?");
    }
    insertSql.append(") VALUES (").append(values).append(')');
    int replaced = 0;
    try (PreparedStatement version = connection.prepareStatement(ResultTables.UPSERT_VERSION);
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM "
                    + table
                    + " WHERE "
                    + ViewSchema.quote(ViewSchema.RESOURCE_KEY)
                    + " = ?");
        PreparedStatement insert = connection.prepareStatement(insertSql.toString())) {
      for (ResultBatch.Rows resource : resources) {
        ResultTables.bindVersion(version, view.name(), resource.version());
        if (version.executeUpdate() == 0) {
          continue; // the stored rows were made from the same or a newer version
        }
        replaced++;
        String key = resource.version().resourceKey();
        delete.setString(1, key);
        delete.executeUpdate();
        for (int row = 0; row < resource.rows().size(); row++) {
          insert.setString(1, key);
          insert.setInt(2, row);
          bindRow(insert, view, resource.rows().get(row));
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
    return replaced;
  }

  private static void bindRow(PreparedStatement insert, ViewTable view, List<Object> row)
      throws SQLException {
    for (int i = 0; i < row.size(); i++) {
      int index = i + 3;
      Object value = row.get(i);
      ColumnType type = view.columns().get(i).type();
      if (value == null) {
        insert.setNull(index, Types.NULL);
        continue;
      }
      switch (type) {
        case INTEGER -> insert.setLong(index, ((Number) value).longValue());
        case DECIMAL ->
            insert.setDouble(
                index,
                value instanceof BigDecimal decimal
                    ? decimal.doubleValue()
                    : ((Number) value).doubleValue());
        case BOOLEAN -> insert.setInt(index, (Boolean) value ? 1 : 0);
        case JSON -> insert.setString(index, JsonColumns.toJson((List<?>) value));
        case TEXT, DATE, DATETIME, TIME -> insert.setString(index, (String) value);
      }
    }
  }

  private interface Work {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work} in one write transaction and commits; rolls back and translates a failure.
   * IMMEDIATE takes the write lock first, so a competing writer makes BEGIN wait (busy timeout)
   * rather than the transaction failing halfway.
   */
  private void inTransaction(String doing, Work work) {
    boolean begun = false;
    try {
      control.execute("BEGIN IMMEDIATE");
      begun = true;
      work.run();
      control.execute("COMMIT");
    } catch (SQLException e) {
      rollBack(begun, e);
      throw SqliteErrors.translate(e, doing, path);
    } catch (RuntimeException e) {
      rollBack(begun, e);
      throw e;
    }
  }

  private void rollBack(boolean begun, Exception failure) {
    if (!begun) {
      return;
    }
    try {
      control.execute("ROLLBACK");
    } catch (SQLException alreadyRolledBack) {
      // SQLite ends the transaction itself after some errors (a full disk, an I/O error).
      failure.addSuppressed(alreadyRolledBack);
    }
  }

  /** Drops what was not flushed (the runtime re-delivers it) and closes the file. */
  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    if (!pending.isEmpty()) {
      LOG.info("closing with {} results not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    try {
      if (control != null) {
        control.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw new PipelineException("closing SQLite store " + path + " failed", e);
    } finally {
      connection = null;
      control = null;
    }
  }

  private void requireOpen() {
    if (connection == null) {
      throw new IllegalStateException("open the result writer first");
    }
  }
}

package io.fhirstream.store.postgres;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.Batches;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into PostgreSQL, one jsonb table per resource type (see {@link JsonbTable}
 * for the columns and the version guard, which runs in SQL).
 *
 * <p>{@link #write} only keeps the newest event per resource; {@link #flush} sends them in JDBC
 * batches of {@code batch-size} rows and commits once. So no transaction stays open while the
 * runtime polls the event hub, and a flush costs one commit however many batches it covers.
 *
 * <p>A batch the server refuses with a data error (class 22, e.g. jsonb refusing {@code \u0000}) or
 * a program limit (class 54) is rolled back to its savepoint and re-sent row by row, each in a
 * savepoint of its own: the refused rows go to the dead letters and the others are written. Any
 * other failure rolls the whole transaction back and drops the connection; the runtime re-delivers
 * everything since the last flush and the next flush reconnects.
 */
public final class PostgresDocumentWriter implements DocumentWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDocumentWriter.class);

  private final PostgresStoreConfig config;
  private final PostgresConnector connector;
  private final Map<String, ChangeEvent> pending = new LinkedHashMap<>();
  private final Map<String, JsonbTable> tables = new HashMap<>();

  /** Tables known to exist in committed state; forgotten on rollback, which may undo a CREATE. */
  private final Set<String> existingTables = new HashSet<>();

  private DeadLetterReporter deadLetters;
  private Connection connection;
  private boolean open;

  /** A writer for the given settings; nothing is connected until {@link #open}. */
  public PostgresDocumentWriter(PostgresStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.connector = new PostgresConnector(config);
  }

  public PostgresStoreConfig config() {
    return config;
  }

  /** Connects, checks the server and database, and creates the schema if missing. */
  @Override
  public void open(WriterContext context) {
    if (open) {
      throw new IllegalStateException("the writer is already open");
    }
    deadLetters = Objects.requireNonNull(context.deadLetters(), "context.deadLetters()");
    try {
      connection = connector.connect();
      PostgresStoreSetup.prepare(connection, config.schema(), connector);
    } catch (SQLException e) {
      dropConnection();
      throw PostgresErrors.translate(e, "opening the store", connector);
    } catch (RuntimeException e) {
      dropConnection();
      throw e;
    }
    open = true;
    LOG.info("PostgreSQL store {} open", connector.where());
  }

  /** Keeps the newest event per resource until {@link #flush}; sends nothing yet. */
  @Override
  public void write(List<ChangeEvent> batch) {
    requireOpen();
    for (ChangeEvent event : Batches.newestPerResource(batch)) {
      pending.merge(
          event.resourceType() + '/' + event.id(),
          event,
          (kept, incoming) -> VersionOrder.isNewer(incoming, kept) ? incoming : kept);
    }
  }

  /** Sends the kept events and commits: when this returns, they are durable. */
  @Override
  public void flush() {
    requireOpen();
    if (pending.isEmpty()) {
      return;
    }
    int count = pending.size();
    try {
      if (connection == null) {
        connection = connector.connect();
        LOG.info("reconnected to PostgreSQL store {}", connector.where());
      }
      for (Map.Entry<String, List<ChangeEvent>> type : byType().entrySet()) {
        writeType(type.getKey(), type.getValue());
      }
      connection.commit();
      LOG.debug("committed {} events to {}", count, connector.where());
    } catch (SQLException e) {
      abandonTransaction();
      throw PostgresErrors.translate(e, "writing " + count + " events", connector);
    } catch (RuntimeException e) {
      // E.g. the dead-letter reporter failed: nothing of this flush may stay half-written.
      abandonTransaction();
      throw e;
    } finally {
      // Committed, or to be re-delivered by the runtime: either way no longer this writer's to
      // keep.
      pending.clear();
    }
  }

  /** Drops what was not flushed (the event hub re-delivers it) and disconnects. */
  @Override
  public void close() {
    if (!pending.isEmpty()) {
      LOG.info("closing with {} events not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    dropConnection();
    open = false;
  }

  private Map<String, List<ChangeEvent>> byType() {
    Map<String, List<ChangeEvent>> byType = new LinkedHashMap<>();
    for (ChangeEvent event : pending.values()) {
      byType.computeIfAbsent(event.resourceType(), t -> new ArrayList<>()).add(event);
    }
    return byType;
  }

  private void writeType(String resourceType, List<ChangeEvent> events) throws SQLException {
    if (!JsonbTable.isValidName(resourceType)) {
      for (ChangeEvent event : events) {
        deadLetter(event, "resourceType is not a FHIR resource type name ([A-Z][A-Za-z]{0,49})");
      }
      return;
    }
    List<JsonbRow> rows = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      try {
        rows.add(JsonbRow.of(event));
      } catch (BadEventException e) {
        deadLetter(event, e.getMessage());
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    JsonbTable table = table(resourceType);
    for (int from = 0; from < rows.size(); from += config.batchSize()) {
      writeBatch(table, rows.subList(from, Math.min(rows.size(), from + config.batchSize())));
    }
  }

  private JsonbTable table(String resourceType) throws SQLException {
    JsonbTable table =
        tables.computeIfAbsent(resourceType, type -> new JsonbTable(config.schema(), type));
    if (existingTables.add(resourceType)) {
      try {
        table.createIfMissing(connection, config.schema(), resourceType);
      } catch (SQLException e) {
        String state = PostgresErrors.sqlState(e);
        if (state.equals("23505") || state.equals("42P07")) {
          // Another writer instance created the same table at the same moment.
          throw new RetriableException(
              "table " + table.qualifiedName() + " was being created by another session", e);
        }
        throw e;
      }
    }
    return table;
  }

  private void writeBatch(JsonbTable table, List<JsonbRow> rows) throws SQLException {
    Savepoint batch = connection.setSavepoint();
    try {
      table.upsert(connection, rows);
      connection.releaseSavepoint(batch);
    } catch (SQLException e) {
      String state = PostgresErrors.sqlState(e);
      if (!PostgresErrors.isRefusalOfOneDocument(state)) {
        throw e;
      }
      connection.rollback(batch);
      connection.releaseSavepoint(batch);
      LOG.info(
          "PostgreSQL refused a row of {} (SQLSTATE {}); writing the {} rows one by one",
          table.qualifiedName(),
          state,
          rows.size());
      for (JsonbRow row : rows) {
        writeOne(table, row);
      }
    }
  }

  private void writeOne(JsonbTable table, JsonbRow row) throws SQLException {
    Savepoint one = connection.setSavepoint();
    try {
      table.upsertOne(connection, row);
      connection.releaseSavepoint(one);
    } catch (SQLException e) {
      String state = PostgresErrors.sqlState(e);
      if (!PostgresErrors.isRefusalOfOneDocument(state)) {
        throw e;
      }
      connection.rollback(one);
      connection.releaseSavepoint(one);
      deadLetter(row.event(), PostgresErrors.refusalReason(state));
    }
  }

  private void deadLetter(ChangeEvent event, String reason) {
    LOG.debug("dead-lettering {}: {}", event, reason);
    deadLetters.report(event, reason);
  }

  /**
   * Rolls back by disconnecting: the server discards the open transaction, and a connection that
   * just failed is not trusted again (it may be half-closed). Tables created in the transaction are
   * gone with it, so their existence is checked again.
   */
  private void abandonTransaction() {
    existingTables.clear();
    dropConnection();
  }

  private void dropConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // Nothing uncommitted survives a closed session; only the socket may linger until timeout.
      LOG.warn("closing the connection to {} failed: {}", connector.where(), e.getSQLState());
    } finally {
      connection = null;
    }
  }

  private void requireOpen() {
    if (!open) {
      throw new IllegalStateException("open the writer before writing or flushing");
    }
  }
}

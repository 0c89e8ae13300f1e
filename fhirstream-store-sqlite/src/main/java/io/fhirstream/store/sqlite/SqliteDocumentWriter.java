package io.fhirstream.store.sqlite;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.Batches;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into a SQLite file, one table per resource type (see {@link DocumentTable}
 * for the columns and the version guard).
 *
 * <p>A transaction begins with the first {@link #write} after a flush and commits in {@link
 * #flush}, so a flush costs one commit however many batches it covers. Each write runs in a
 * savepoint: a failed batch is undone on its own and the earlier ones stay. SQLite rolls the whole
 * transaction back after some errors (a full disk, an I/O error); the writer then re-applies the
 * events written since the last commit at the start of the next transaction, so a flush that
 * returns covers every event written since the previous one. Re-applying is safe because every
 * write is version-guarded.
 */
public final class SqliteDocumentWriter implements DocumentWriter {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDocumentWriter.class);
  private static final String SAVEPOINT = "fhirstream_batch";

  private final SqliteStoreConfig config;
  private final Path path;
  private final Map<String, DocumentTable> tables = new HashMap<>();

  /** Events written since the last commit, kept to re-apply if SQLite drops the transaction. */
  private final List<ChangeEvent> uncommitted = new ArrayList<>();

  private DeadLetterReporter deadLetters;
  private Connection connection;
  private Statement control;
  private boolean inTransaction;
  private boolean inSavepoint;

  /** A writer for the given settings; nothing is opened until {@link #open}. */
  public SqliteDocumentWriter(SqliteStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.path = config.path().toAbsolutePath();
  }

  public SqliteStoreConfig config() {
    return config;
  }

  /**
   * Opens (and if needed creates) the database file.
   *
   * @throws PipelineException naming the path and the fix when the file cannot be written
   */
  @Override
  public void open(WriterContext context) {
    if (connection != null) {
      throw new IllegalStateException("the writer is already open");
    }
    deadLetters = Objects.requireNonNull(context.deadLetters(), "context.deadLetters()");
    connection = SqliteDatabase.openForWriting(config);
    try {
      control = connection.createStatement();
    } catch (SQLException e) {
      close();
      throw SqliteErrors.translate(e, "opening the store", path);
    }
    LOG.info("SQLite store {} open (WAL, synchronous={})", path, config.synchronous());
  }

  /**
   * Applies the newest event per resource of the batch inside the current transaction. An event
   * whose type cannot name a table, or whose body is not UTF-8, goes to the dead letters.
   */
  @Override
  public void write(List<ChangeEvent> batch) {
    requireOpen();
    if (batch.isEmpty()) {
      return;
    }
    List<ChangeEvent> newest = Batches.newestPerResource(batch);
    try {
      begin();
      control.execute("SAVEPOINT " + SAVEPOINT);
      inSavepoint = true;
      List<ChangeEvent> written = apply(newest);
      control.execute("RELEASE " + SAVEPOINT);
      inSavepoint = false;
      uncommitted.addAll(written);
    } catch (SQLException e) {
      throw failure(e, "writing a batch of " + batch.size() + " events");
    } catch (RuntimeException e) {
      // E.g. the dead-letter reporter failed: undo the batch so none of it lingers half-queued.
      rollBack(e);
      throw e;
    }
  }

  /** Commits: when this returns, every event written since the last flush is on disk. */
  @Override
  public void flush() {
    requireOpen();
    if (!inTransaction && uncommitted.isEmpty()) {
      return;
    }
    int count = uncommitted.size();
    try {
      begin();
      control.execute("COMMIT");
      inTransaction = false;
      uncommitted.clear();
      LOG.debug("committed {} events to {}", count, path);
    } catch (SQLException e) {
      throw failure(e, "committing " + count + " events");
    } catch (RuntimeException e) {
      rollBack(e);
      throw e;
    }
  }

  /** Rolls back what was not flushed (the event hub re-delivers it) and closes the file. */
  @Override
  public void close() {
    if (connection == null) {
      return;
    }
    PipelineException failure = new PipelineException("closing SQLite store " + path + " failed");
    if (inTransaction && !uncommitted.isEmpty()) {
      LOG.info(
          "closing {} with {} events not flushed; they will be re-delivered",
          path,
          uncommitted.size());
    }
    rollBack(failure);
    uncommitted.clear();
    try {
      if (control != null) {
        control.close();
      }
      connection.close();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    } finally {
      connection = null;
      control = null;
    }
    if (failure.getSuppressed().length > 0) {
      throw failure;
    }
  }

  private void begin() throws SQLException {
    if (inTransaction) {
      return;
    }
    // IMMEDIATE takes the write lock now, so a competing writer makes BEGIN wait (busy timeout)
    // rather than failing halfway through a batch.
    control.execute("BEGIN IMMEDIATE");
    inTransaction = true;
    if (!uncommitted.isEmpty()) {
      LOG.info("re-applying {} events whose transaction SQLite rolled back", uncommitted.size());
      apply(uncommitted);
    }
  }

  /** Applies events (at most one per resource); returns those not sent to the dead letters. */
  private List<ChangeEvent> apply(List<ChangeEvent> events) throws SQLException {
    Set<DocumentTable> touched = new LinkedHashSet<>();
    List<ChangeEvent> accepted = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      DocumentTable table;
      DocumentRow row;
      try {
        table = table(event.resourceType());
        row = DocumentRow.of(event);
      } catch (BadEventException e) {
        LOG.debug("dead-lettering {}: {}", event, e.getMessage());
        deadLetters.report(event, e.getMessage());
        continue;
      }
      table.add(row);
      touched.add(table);
      accepted.add(event);
    }
    int applied = 0;
    for (DocumentTable table : touched) {
      applied += table.execute();
    }
    LOG.debug(
        "applied {} of {} events; the others were not newer than the stored version",
        applied,
        accepted.size());
    return accepted;
  }

  private DocumentTable table(String resourceType) throws SQLException, BadEventException {
    DocumentTable table = tables.get(resourceType);
    if (table != null) {
      return table;
    }
    if (!DocumentTable.isValidName(resourceType)) {
      throw new BadEventException(
          "resourceType is not a FHIR resource type name ([A-Z][A-Za-z]{0,63})");
    }
    String clash = DocumentTable.caseClash(connection, resourceType);
    if (clash != null) {
      throw new BadEventException(
          "resourceType differs only in letter case from the stored type " + clash);
    }
    table = DocumentTable.open(connection, resourceType);
    tables.put(resourceType, table);
    return table;
  }

  private RuntimeException failure(SQLException e, String doing) {
    rollBack(e);
    return SqliteErrors.translate(e, doing, path);
  }

  /**
   * Undoes the failed batch, or the whole transaction when SQLite already dropped it. Prepared
   * statements are closed either way: they may hold queued rows, and their tables may have been
   * created in the work just undone.
   */
  private void rollBack(Exception failure) {
    for (DocumentTable table : tables.values()) {
      try {
        table.close();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }
    tables.clear();
    if (inSavepoint) {
      inSavepoint = false;
      try {
        control.execute("ROLLBACK TO " + SAVEPOINT);
        control.execute("RELEASE " + SAVEPOINT);
        return;
      } catch (SQLException dropped) {
        LOG.info("SQLite rolled back the transaction on {}; its events will be re-applied", path);
      }
    }
    if (inTransaction) {
      inTransaction = false;
      try {
        control.execute("ROLLBACK");
      } catch (SQLException alreadyRolledBack) {
        LOG.debug("no transaction left to roll back on {}", path);
      }
    }
  }

  private void requireOpen() {
    if (connection == null) {
      throw new IllegalStateException("open the writer before writing or flushing");
    }
  }

  /** The writer's own connection, for tests in this package that provoke SQLite errors. */
  Connection connection() {
    return connection;
  }
}

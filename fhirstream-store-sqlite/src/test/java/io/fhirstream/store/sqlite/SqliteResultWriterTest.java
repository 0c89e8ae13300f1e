package io.fhirstream.store.sqlite;

import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.ResultWriterContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite store's analytics results against the contract, on a file in a temporary directory;
 * the outage is another connection holding the write lock.
 */
class SqliteResultWriterTest extends ResultWriterContract {
  @TempDir Path directory;
  private Path file;

  @Override
  protected ResultWriter newWriter() {
    file = directory.resolve("store-" + System.nanoTime() + ".db");
    return newWriterOverSameStore();
  }

  @Override
  protected ResultWriter newWriterOverSameStore() {
    // A short busy timeout, so the outage's lock fails a flush quickly.
    return new SqliteResultWriter(
        new SqliteStoreConfig(file, Duration.ofMillis(100), SqliteStoreConfig.Synchronous.FULL));
  }

  @Override
  protected ResultReader newReader() {
    return SqliteResultReader.open(SqliteStoreConfig.at(file));
  }

  /** SQLite's REAL is a double: 1.50 comes back as 1.5. */
  @Override
  protected boolean keepsDecimalsExactly() {
    return false;
  }

  @Override
  protected AutoCloseable interruptStore() throws SQLException {
    Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = other.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
    }
    return () -> {
      try (Statement statement = other.createStatement()) {
        statement.execute("ROLLBACK");
      } finally {
        other.close();
      }
    };
  }
}

package io.fhirstream.store.sqlite;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store against the contract, on a file in a temporary directory. */
class SqliteDocumentWriterTest extends DocumentWriterContract {
  @TempDir Path directory;
  private Path file;
  private SqliteDocumentReader reader;

  @Override
  protected DocumentWriter newWriter() {
    file = directory.resolve("store-" + System.nanoTime() + ".db");
    return newWriterOverSameStore();
  }

  @Override
  protected DocumentWriter newWriterOverSameStore() {
    // A short busy timeout, so the outage test's lock fails a write quickly.
    return new SqliteDocumentWriter(
        new SqliteStoreConfig(file, Duration.ofMillis(100), SqliteStoreConfig.Synchronous.FULL));
  }

  /** Another connection takes the write lock, as a second process writing the file would. */
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

  /** SQLite keeps documents as TEXT and refuses a body that is not UTF-8. */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    byte[] latin1 =
        "{\"resourceType\":\"Patient\",\"id\":\"latin1\",\"name\":[{\"family\":\"Müller\"}]}"
            .getBytes(StandardCharsets.ISO_8859_1);
    return Optional.of(ChangeEvent.upsert("Patient", "latin1", "1", FhirFixtures.T0, latin1));
  }

  /**
   * Through the store's own reader, on a read-only connection of its own; {@code
   * SqliteDocumentReaderTest} checks the reader against plain JDBC on the documented columns.
   */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    if (reader == null) {
      reader = SqliteDocumentReader.open(file);
    }
    return reader.read(resourceType, id).map(ReadBack::of);
  }

  @AfterEach
  void closeReader() {
    if (reader != null) {
      reader.close();
    }
  }
}

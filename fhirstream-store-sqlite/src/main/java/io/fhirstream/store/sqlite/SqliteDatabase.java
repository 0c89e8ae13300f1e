package io.fhirstream.store.sqlite;

import io.fhirstream.api.PipelineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/** Opens connections to a store's file with the settings the writer and the reader rely on. */
final class SqliteDatabase {
  /** The layout this code writes; {@code PRAGMA user_version} of a store. */
  static final int SCHEMA_VERSION = 1;

  private static final int CACHE_KIB = 32 * 1024;

  private SqliteDatabase() {}

  /**
   * Opens the file for writing, creating it and its directory if missing, in WAL mode. WAL lets
   * readers (the reader, the {@code sqlite3} shell) work while the writer writes, and makes a
   * commit one sequential append.
   *
   * <p>Durability: with {@code synchronous=NORMAL} a committed transaction survives the process
   * being killed but may be lost when the machine loses power; {@code FULL} syncs the log at each
   * commit, so it survives both. The writer commits once per flush, so FULL costs one fsync (about
   * 0.3 ms on the development machines) per flush of 500-2000 events: no difference the benchmark
   * could tell from noise, hence FULL by default (see {@link SqliteStoreConfig.Synchronous}).
   *
   * @throws PipelineException naming the path and the fix when the file cannot be written
   */
  static Connection openForWriting(SqliteStoreConfig config) {
    Path path = config.path().toAbsolutePath();
    try {
      Path directory = path.getParent();
      if (directory != null) {
        Files.createDirectories(directory);
      }
    } catch (IOException | SecurityException e) {
      throw unwritable(path, "its directory cannot be created (" + e + ")", e);
    }
    if (Files.isDirectory(path)) {
      throw unwritable(path, "it is a directory", null);
    }
    SQLiteConfig settings = new SQLiteConfig();
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    settings.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(config.synchronous().name()));
    settings.setBusyTimeout((int) config.busyTimeout().toMillis());
    settings.setCacheSize(-CACHE_KIB);
    settings.setTempStore(SQLiteConfig.TempStore.MEMORY);
    Connection connection = null;
    try {
      connection = settings.createConnection("jdbc:sqlite:" + path);
      checkWalAndClaimSchema(connection, path);
      return connection;
    } catch (SQLException e) {
      closeAfterFailure(connection, e);
      int code = SqliteErrors.primaryCode(e);
      if (code == 5 || code == 6 || code == 11 || code == 26) {
        // Locked by another process, or not a database: the general message says more than ours.
        throw SqliteErrors.translate(e, "opening the store", path);
      }
      throw unwritable(path, "SQLite cannot write it (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      closeAfterFailure(connection, e);
      throw e;
    }
  }

  /** Opens the file read-only; the store must exist. */
  static Connection openForReading(Path file, int busyTimeoutMillis) {
    Path path = file.toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new PipelineException(
          "no SQLite store at "
              + path
              + "; check "
              + SqliteStoreConfig.PATH
              + " names the store's file");
    }
    SQLiteConfig settings = new SQLiteConfig();
    settings.setOpenMode(SQLiteOpenMode.READONLY);
    settings.setReadOnly(true);
    settings.setBusyTimeout(busyTimeoutMillis);
    try {
      return settings.createConnection("jdbc:sqlite:" + path);
    } catch (SQLException e) {
      throw new PipelineException(
          "cannot open SQLite store " + path + " for reading (" + e.getMessage() + ")", e);
    }
  }

  private static void checkWalAndClaimSchema(Connection connection, Path path) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
        String journal = mode.next() ? mode.getString(1).toLowerCase(Locale.ROOT) : "";
        if (!journal.equals("wal")) {
          throw new PipelineException(
              "SQLite database "
                  + path
                  + " is not in WAL mode (journal_mode="
                  + journal
                  + "); put the store on a local file system, or set "
                  + SqliteStoreConfig.PATH);
        }
      }
      int version;
      try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
        version = rows.next() ? rows.getInt(1) : 0;
      }
      if (version > SCHEMA_VERSION) {
        throw new PipelineException(
            "SQLite database "
                + path
                + " was written by a newer fhirstream (schema "
                + version
                + "); upgrade fhirstream or set "
                + SqliteStoreConfig.PATH
                + " to another file");
      }
      // Writing the header now proves the file is writable before the first event arrives.
      statement.execute("BEGIN IMMEDIATE");
      statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      statement.execute("COMMIT");
    }
  }

  private static PipelineException unwritable(Path path, String why, Exception cause) {
    return new PipelineException(
        "cannot open SQLite store "
            + path
            + " for writing: "
            + why
            + "; check the directory exists and is writable, or set "
            + SqliteStoreConfig.PATH,
        cause);
  }

  private static void closeAfterFailure(Connection connection, Exception failure) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
    }
  }
}

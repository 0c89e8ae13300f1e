package io.fhirstream.store.sqlite;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/**
 * Turns SQLite's result codes into the SPI's two kinds of failure. The runtime owns retries, so
 * everything a later attempt can get past (a lock, a full disk, an I/O error) is retriable;
 * corruption and programming errors stop the writer.
 */
final class SqliteErrors {
  private SqliteErrors() {}

  /** SQLite's primary result code (the low byte of an extended one), or -1 if unknown. */
  static int primaryCode(SQLException e) {
    if (e instanceof SQLiteException sqlite) {
      return sqlite.getResultCode().code & 0xff;
    }
    return e.getErrorCode() > 0 ? e.getErrorCode() & 0xff : -1;
  }

  /**
   * @param doing what was being done, e.g. "writing a batch of 500 events"
   * @param path the database file, named in every message
   */
  static RuntimeException translate(SQLException e, String doing, Path path) {
    String where = " while " + doing + " in SQLite database " + path;
    return switch (primaryCode(e)) {
      case 5, 6 ->
          new RetriableException(
              "database is locked by another connection"
                  + where
                  + "; another process holds the write lock longer than "
                  + SqliteStoreConfig.BUSY_TIMEOUT,
              e);
      case 13 -> new RetriableException("disk full" + where + "; free space on its volume", e);
      case 8 ->
          new RetriableException(
              "database is read-only"
                  + where
                  + "; check the file and its directory are writable, or set "
                  + SqliteStoreConfig.PATH,
              e);
      case 10, 14, 15 ->
          new RetriableException(
              "I/O error" + where + " (" + e.getMessage() + "); check the disk and the file system",
              e);
      case 7 -> new RetriableException("out of memory" + where, e);
      case 11, 26 ->
          new PipelineException(
              "database file is corrupt or not a SQLite database"
                  + where
                  + "; restore it from a backup or remove it to rebuild the store from the event"
                  + " hub",
              e);
      default -> new PipelineException("SQLite failed" + where + ": " + e.getMessage(), e);
    };
  }
}

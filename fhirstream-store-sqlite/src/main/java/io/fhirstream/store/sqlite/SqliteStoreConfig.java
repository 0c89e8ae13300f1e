package io.fhirstream.store.sqlite;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of the SQLite store, declared once in {@link #DEFINITION}.
 *
 * @param path the database file; its directory is created if missing
 * @param busyTimeout how long a write waits for another process's lock before failing as retriable
 * @param synchronous how hard a commit pushes data to the disk
 */
public record SqliteStoreConfig(Path path, Duration busyTimeout, Synchronous synchronous) {

  public static final String PATH = "store.sqlite.path";
  public static final String BUSY_TIMEOUT = "store.sqlite.busy-timeout";
  public static final String SYNCHRONOUS = "store.sqlite.synchronous";

  /** SQLite's {@code PRAGMA synchronous} in WAL mode. */
  public enum Synchronous {
    /**
     * A commit is written to the write-ahead log but not synced: it survives the process being
     * killed, not the machine losing power.
     */
    NORMAL,
    /** A commit syncs the write-ahead log: it survives a power loss too. */
    FULL
  }

  /** The store's keys, all under {@code store.sqlite.}. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("SQLite store (store.type=sqlite)")
          .define(
              PATH,
              ConfigType.PATH,
              "fhirstream-data/fhirstream.db",
              "The SQLite database file. Its directory is created if missing; the file is created"
                  + " on first start.")
          .define(
              BUSY_TIMEOUT,
              ConfigType.DURATION,
              "5s",
              Validators.POSITIVE_DURATION,
              "How long a write waits while another process holds the database's write lock before"
                  + " failing as retriable.")
          .define(
              SYNCHRONOUS,
              ConfigType.STRING,
              "full",
              Validators.oneOf(List.of("full", "normal")),
              "full: when a flush returns, its events survive a power loss (one fsync per flush)."
                  + " normal: they survive the process being killed but not the machine losing"
                  + " power; no measurable gain at batches of 500 or more.")
          .build();

  public SqliteStoreConfig {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(synchronous, "synchronous");
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          BUSY_TIMEOUT + " must be between 0 and " + Integer.MAX_VALUE + " ms");
    }
  }

  /** The settings for a file, with every other setting at its default. */
  public static SqliteStoreConfig at(Path path) {
    return new SqliteStoreConfig(path, Duration.ofSeconds(5), Synchronous.FULL);
  }

  /** Reads settings validated by {@link #DEFINITION}. */
  public static SqliteStoreConfig from(Config config) {
    return new SqliteStoreConfig(
        config.getPath(PATH),
        config.getDuration(BUSY_TIMEOUT),
        Synchronous.valueOf(config.getString(SYNCHRONOUS).toUpperCase(Locale.ROOT)));
  }

  /** The same settings with another {@code synchronous} mode. */
  public SqliteStoreConfig withSynchronous(Synchronous mode) {
    return new SqliteStoreConfig(path, busyTimeout, mode);
  }
}

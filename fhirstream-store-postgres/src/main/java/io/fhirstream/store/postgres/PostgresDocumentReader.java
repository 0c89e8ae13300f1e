package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a PostgreSQL store ({@link JsonbTable}'s layout) on a read-only connection of its own.
 * Every call is one read-only transaction, committed at its end, so each call sees what was
 * committed before it began. A connection that failed is dropped and the next call reconnects. Not
 * thread-safe.
 */
public final class PostgresDocumentReader implements DocumentReader {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDocumentReader.class);

  /** Rows fetched per round trip while scanning, so a large table is streamed, not held. */
  private static final int FETCH_SIZE = 500;

  private static final String COLUMNS = "id, version_id, last_updated, last_updated_nanos, deleted";

  /**
   * Tables of the schema with every column of the layout; the name is checked in Java. Views,
   * scratch tables (the driver ceiling's has other columns) and tables of other applications are
   * left out.
   */
  private static final String DOCUMENT_TABLES =
      "SELECT c.relname FROM pg_catalog.pg_class c"
          + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p')"
          + " AND (SELECT count(*) FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid"
          + " AND a.attnum > 0 AND NOT a.attisdropped AND a.attname IN"
          + " ('id', 'version_id', 'version_num', 'last_updated', 'last_updated_nanos', 'deleted',"
          + " 'resource')) = 7";

  private final PostgresStoreConfig config;
  private final PostgresConnector connector;

  /** Tables seen to exist; the store never drops one, so each is looked up until found once. */
  private final Set<String> knownTables = new HashSet<>();

  private Connection connection;

  private PostgresDocumentReader(PostgresStoreConfig config, PostgresConnector connector) {
    this.config = config;
    this.connector = connector;
  }

  /**
   * Connects and checks that the schema exists.
   *
   * @throws PipelineException naming the schema when it does not exist, or the fix when the server
   *     refuses (credentials, database); a {@link io.fhirstream.api.RetriableException} when it
   *     cannot be reached
   */
  public static PostgresDocumentReader open(PostgresStoreConfig config) {
    PostgresStoreConfig readerConfig = config.withApplicationName(readerName(config));
    PostgresDocumentReader reader =
        new PostgresDocumentReader(readerConfig, new PostgresConnector(readerConfig));
    boolean exists = reader.call("opening the store", reader::schemaExists);
    if (!exists) {
      reader.close();
      throw new PipelineException(
          "schema "
              + config.schema()
              + " does not exist on "
              + PostgresConnector.describe(config.url())
              + ": nothing has been written there yet; check "
              + PostgresStoreConfig.SCHEMA
              + " and "
              + PostgresStoreConfig.URL);
    }
    return reader;
  }

  /** The writer's application name with {@code -reader}, so pg_stat_activity tells them apart. */
  private static String readerName(PostgresStoreConfig config) {
    String name = config.applicationName() + "-reader";
    // The server keeps 63 bytes; cutting here keeps the suffix visible.
    return name.length() <= 63 ? name : name.substring(name.length() - 63);
  }

  @Override
  public List<String> resourceTypes() {
    return call(
        "listing the resource types",
        () -> {
          List<String> types = new ArrayList<>();
          try (PreparedStatement query = connection.prepareStatement(DOCUMENT_TABLES)) {
            query.setString(1, config.schema());
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                if (JsonbTable.isValidName(rows.getString(1))) {
                  types.add(rows.getString(1));
                }
              }
            }
          }
          types.sort(null);
          return types;
        });
  }

  @Override
  public Optional<StoredDocument> read(String resourceType, String id) {
    return call(
        "reading " + resourceType + "/" + id,
        () -> {
          if (!hasTable(resourceType)) {
            return Optional.empty();
          }
          String sql =
              "SELECT "
                  + COLUMNS
                  + ", resource::text FROM "
                  + new JsonbTable(config.schema(), resourceType).qualifiedName()
                  + " WHERE id = ?";
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(document(resourceType, rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor) {
    call(
        "reading every " + resourceType,
        () -> {
          if (!hasTable(resourceType)) {
            return null;
          }
          // COLLATE "C" orders by code point, as Java orders these ids, whatever the database's
          // collation; without the body the row is a few dozen bytes.
          String sql =
              "SELECT "
                  + COLUMNS
                  + (withBodies ? ", resource::text" : ", NULL")
                  + " FROM "
                  + new JsonbTable(config.schema(), resourceType).qualifiedName()
                  + " ORDER BY id COLLATE \"C\"";
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                visitor.accept(document(resourceType, rows));
              }
            }
          }
          return null;
        });
  }

  @Override
  public long count(String resourceType) {
    return count(resourceType, false);
  }

  @Override
  public long countDeleted(String resourceType) {
    return count(resourceType, true);
  }

  private long count(String resourceType, boolean deleted) {
    return call(
        "counting " + resourceType,
        () -> {
          if (!hasTable(resourceType)) {
            return 0L;
          }
          String sql =
              "SELECT count(*) FROM "
                  + new JsonbTable(config.schema(), resourceType).qualifiedName()
                  + (deleted ? " WHERE deleted" : " WHERE NOT deleted");
          try (PreparedStatement query = connection.prepareStatement(sql);
              ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  /** Whether the store has a table for the type; false for anything that is not a type name. */
  private boolean hasTable(String resourceType) throws SQLException {
    if (!JsonbTable.isValidName(resourceType)) {
      return false;
    }
    if (knownTables.contains(resourceType)) {
      return true;
    }
    try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?)")) {
      query.setString(1, new JsonbTable(config.schema(), resourceType).qualifiedName());
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next() && rows.getString(1) != null) {
          knownTables.add(resourceType);
          return true;
        }
        return false;
      }
    }
  }

  private boolean schemaExists() throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      query.setString(1, config.schema());
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static StoredDocument document(String resourceType, ResultSet row) throws SQLException {
    OffsetDateTime micros = row.getObject(3, OffsetDateTime.class);
    return new StoredDocument(
        resourceType,
        row.getString(1),
        row.getString(2),
        micros == null ? null : micros.toInstant().plusNanos(row.getInt(4)),
        row.getBoolean(5),
        row.getString(6));
  }

  /** One unit of reading in a transaction of its own. */
  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code work} in one read-only transaction and ends it, so the next call sees newer commits
   * and no snapshot is held between calls. A failure drops the connection.
   */
  private <T> T call(String doing, Work<T> work) {
    try {
      if (connection == null) {
        connection = connector.connect();
        connection.setReadOnly(true);
      }
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException e) {
      dropConnection();
      throw PostgresErrors.translate(e, doing, connector);
    } catch (RuntimeException e) {
      // E.g. the visitor failed: end the transaction and start afresh next time.
      dropConnection();
      throw e;
    }
  }

  private void dropConnection() {
    knownTables.clear();
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug(
          "closing the reader's connection to {} failed: {}", connector.where(), e.getSQLState());
    } finally {
      connection = null;
    }
  }

  @Override
  public void close() {
    dropConnection();
  }
}

package io.fhirstream.store.postgres;

import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the analytics role's results ({@link ResultSchema}'s tables) on a read-only connection of
 * its own, one read-only transaction per call, so each call sees what was committed before it
 * began. Values come back as the driver gives them (bigint as Long, numeric as BigDecimal, boolean
 * as Boolean, text as String), jsonb as its JSON text. A connection that failed is dropped and the
 * next call reconnects. Not thread-safe.
 */
public final class PostgresResultReader implements ResultReader {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresResultReader.class);
  private static final int FETCH_SIZE = 500;

  private final PostgresConnector connector;
  private final ResultSchema schema;
  private Connection connection;

  private PostgresResultReader(PostgresStoreConfig config) {
    String name = config.applicationName() + "-results-reader";
    PostgresStoreConfig readerConfig =
        config.withApplicationName(name.length() <= 63 ? name : name.substring(name.length() - 63));
    this.connector = new PostgresConnector(readerConfig);
    this.schema = new ResultSchema(config.schema());
  }

  /**
   * A reader of the store's results; it connects on its first call.
   *
   * @throws io.fhirstream.api.RetriableException when the server cannot be reached
   */
  public static PostgresResultReader open(PostgresStoreConfig config) {
    PostgresResultReader reader = new PostgresResultReader(config);
    reader.call("opening the store", () -> null);
    return reader;
  }

  @Override
  public List<String> columns(String view) {
    if (!isName(view)) {
      return List.of();
    }
    return call(
        "reading the columns of view " + view, () -> ResultSchema.viewColumns(viewTable(view)));
  }

  @Override
  public Map<String, List<List<Object>>> rows(String view) {
    if (!isName(view)) {
      return new LinkedHashMap<>();
    }
    return call(
        "reading the rows of view " + view,
        () -> {
          Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
          Map<String, String> columns = viewTable(view);
          if (columns.isEmpty()) {
            return rows;
          }
          List<String> names = ResultSchema.viewColumns(columns);
          StringBuilder sql =
              new StringBuilder("SELECT ").append(ResultSchema.quote(ResultSchema.RESOURCE_KEY));
          for (String name : names) {
            sql.append(", ").append(ResultSchema.quote(name));
            if (columns.get(name).equals("jsonb")) {
              sql.append("::text");
            }
          }
          sql.append(" FROM ")
              .append(schema.table(view))
              .append(" ORDER BY ")
              .append(ResultSchema.quote(ResultSchema.RESOURCE_KEY))
              .append(" COLLATE \"C\", ")
              .append(ResultSchema.quote(ResultSchema.ROW));
          try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            query.setFetchSize(FETCH_SIZE);
            try (ResultSet result = query.executeQuery()) {
              while (result.next()) {
                List<Object> row = new ArrayList<>(names.size());
                for (int i = 0; i < names.size(); i++) {
                  row.add(result.getObject(i + 2));
                }
                rows.computeIfAbsent(result.getString(1), key -> new ArrayList<>()).add(row);
              }
            }
          }
          return rows;
        });
  }

  @Override
  public Map<String, byte[]> results(String aggregate) {
    return call(
        "reading the results of aggregate " + aggregate,
        () -> {
          Map<String, byte[]> results = new LinkedHashMap<>();
          if (!schema.exists(connection, ResultNames.AGGREGATE_RESULTS)) {
            return results;
          }
          try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, document::text FROM "
                      + schema.aggregates()
                      + " WHERE aggregate = ? AND NOT deleted ORDER BY id COLLATE \"C\"")) {
            query.setFetchSize(FETCH_SIZE);
            query.setString(1, aggregate);
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                results.put(rows.getString(1), rows.getString(2).getBytes(StandardCharsets.UTF_8));
              }
            }
          }
          return results;
        });
  }

  /** The columns of the view's table, or none when it has no table or one that is not a view's. */
  private Map<String, String> viewTable(String view) throws SQLException {
    Map<String, String> columns = schema.columns(connection, view);
    boolean isView =
        columns.containsKey(ResultSchema.RESOURCE_KEY) && columns.containsKey(ResultSchema.ROW);
    return isView ? columns : Map.of();
  }

  private static boolean isName(String view) {
    return view != null && view.matches("[A-Za-z][A-Za-z0-9_]{0,62}");
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} in one read-only transaction and ends it; a failure drops the connection. */
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
      dropConnection();
      throw e;
    }
  }

  private void dropConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the results reader's connection failed: {}", e.getSQLState());
    } finally {
      connection = null;
    }
  }

  @Override
  public void close() {
    dropConnection();
  }
}

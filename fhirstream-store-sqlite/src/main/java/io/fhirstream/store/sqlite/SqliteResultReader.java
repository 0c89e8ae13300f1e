package io.fhirstream.store.sqlite;

import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the analytics role's results from a SQLite store on a read-only connection of its own; each
 * call sees the transactions committed before it began. Values come back as SQLite holds them:
 * INTEGER as a Long, DECIMAL as a Double, JSON and dates as text; BOOLEAN columns as Booleans. Not
 * thread-safe.
 */
public final class SqliteResultReader implements ResultReader {
  private final Path path;
  private final Connection connection;

  private SqliteResultReader(Path path, Connection connection) {
    this.path = path;
    this.connection = connection;
  }

  /**
   * Opens an existing store read-only.
   *
   * @throws io.fhirstream.api.PipelineException if there is no store at the configured path
   */
  public static SqliteResultReader open(SqliteStoreConfig config) {
    Path path = config.path().toAbsolutePath();
    return new SqliteResultReader(path, SqliteDatabase.openForReading(path, 5_000));
  }

  @Override
  public List<String> columns(String view) {
    Map<String, String> columns = viewColumns(view);
    return columns == null ? List.of() : List.copyOf(columns.keySet());
  }

  @Override
  public Map<String, List<List<Object>>> rows(String view) {
    Map<String, String> columns = viewColumns(view);
    Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    if (columns == null) {
      return rows;
    }
    StringBuilder sql =
        new StringBuilder("SELECT ").append(ViewSchema.quote(ViewSchema.RESOURCE_KEY));
    columns.keySet().forEach(column -> sql.append(", ").append(ViewSchema.quote(column)));
    sql.append(" FROM ")
        .append(ViewSchema.quote(view))
        .append(" ORDER BY ")
        .append(ViewSchema.quote(ViewSchema.RESOURCE_KEY))
        .append(", ")
        .append(ViewSchema.quote(ViewSchema.ROW));
    List<String> types = List.copyOf(columns.values());
    try (PreparedStatement query = connection.prepareStatement(sql.toString());
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        List<Object> row = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
          Object value = result.getObject(i + 2);
          if (value instanceof Number number && "BOOLEAN".equalsIgnoreCase(types.get(i))) {
            value = number.longValue() != 0;
          } else if (value instanceof Integer integer) {
            value = integer.longValue();
          }
          row.add(value);
        }
        rows.computeIfAbsent(result.getString(1), key -> new ArrayList<>()).add(row);
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading the rows of view " + view, path);
    }
    return rows;
  }

  @Override
  public Map<String, byte[]> results(String aggregate) {
    Map<String, byte[]> results = new LinkedHashMap<>();
    if (!hasTable(ResultNames.AGGREGATE_RESULTS)) {
      return results;
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT id, document FROM "
                + ResultTables.AGGREGATES
                + " WHERE aggregate = ? AND deleted = 0 ORDER BY id")) {
      query.setString(1, aggregate);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          results.put(rows.getString(1), rows.getString(2).getBytes(StandardCharsets.UTF_8));
        }
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading the results of aggregate " + aggregate, path);
    }
    return results;
  }

  /** The view's columns (ours left out) and declared types, or null without such a view. */
  private Map<String, String> viewColumns(String view) {
    if (!view.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
      return null;
    }
    try {
      Map<String, String> columns = ViewSchema.columns(connection, view);
      if (columns == null
          || !columns.containsKey(ViewSchema.RESOURCE_KEY)
          || !columns.containsKey(ViewSchema.ROW)) {
        return null;
      }
      columns.remove(ViewSchema.RESOURCE_KEY);
      columns.remove(ViewSchema.ROW);
      return columns;
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "reading the columns of view " + view, path);
    }
  }

  private boolean hasTable(String name) {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "looking for table " + name, path);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw SqliteErrors.translate(e, "closing the result reader", path);
    }
  }
}

package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ViewTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics results' tables in one schema: a table per view (named after it, its columns typed
 * by {@link #sqlType}, plus {@code _resource_key} and {@code _row}, whose leading underscore no
 * view column can have), {@value ResultNames#VIEW_VERSIONS} and {@value
 * ResultNames#AGGREGATE_RESULTS}.
 */
final class ResultSchema {
  static final String RESOURCE_KEY = "_resource_key";
  static final String ROW = "_row";

  private final String schema;

  ResultSchema(String schema) {
    this.schema = schema;
  }

  /**
   * The column type of a view column. Dates, date-times and times are text, as FHIR writes them: a
   * {@code date} column cannot hold the partial {@code 1970} or {@code 1970-06}, timestamptz drops
   * the offset, and both round what they keep. Cast where the value is complete ({@code
   * birth_date::date WHERE length(birth_date) = 10}).
   */
  static String sqlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "bigint";
      case DECIMAL -> "numeric";
      case BOOLEAN -> "boolean";
      case JSON -> "jsonb";
      case TEXT, DATE, DATETIME, TIME -> "text";
    };
  }

  /** Quotes a name already checked to hold only letters, digits and underscores. */
  static String quote(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a checked SQL name");
    }
    return '"' + name + '"';
  }

  String table(String name) {
    return quote(schema) + "." + quote(name);
  }

  String versions() {
    return table(ResultNames.VIEW_VERSIONS);
  }

  String aggregates() {
    return table(ResultNames.AGGREGATE_RESULTS);
  }

  /** Creates the shared tables unless they exist (checked first, so a DBA may create them). */
  void createShared(Connection connection) throws SQLException {
    if (!exists(connection, ResultNames.VIEW_VERSIONS)) {
      execute(
          connection,
          "CREATE TABLE IF NOT EXISTS "
              + versions()
              + " (view text NOT NULL, resource_key text NOT NULL, version_id text,"
              + " version_num bigint, last_updated timestamptz, last_updated_nanos integer,"
              + " deleted boolean NOT NULL, PRIMARY KEY (view, resource_key))");
    }
    if (!exists(connection, ResultNames.AGGREGATE_RESULTS)) {
      execute(
          connection,
          "CREATE TABLE IF NOT EXISTS "
              + aggregates()
              + " (aggregate text NOT NULL, id text NOT NULL, version bigint NOT NULL,"
              + " deleted boolean NOT NULL, document jsonb,"
              + " CHECK (deleted = (document IS NULL)), PRIMARY KEY (aggregate, id))");
    }
  }

  /**
   * Creates the view's table, or adds the columns it lacks; inside the caller's transaction.
   *
   * @return whether the table was created
   * @throws PipelineException for a name the store cannot give the table, a table of that name that
   *     is not a view's, or a column whose type changed
   */
  boolean define(Connection connection, ViewTable view) throws SQLException {
    ResultNames.requireUsableViewName(view.name());
    Map<String, String> existing = columns(connection, view.name());
    if (existing.isEmpty()) {
      StringBuilder ddl =
          new StringBuilder("CREATE TABLE ")
              .append(table(view.name()))
              .append(" (")
              .append(quote(RESOURCE_KEY))
              .append(" text NOT NULL, ")
              .append(quote(ROW))
              .append(" integer NOT NULL");
      for (ViewTable.Column column : view.columns()) {
        ddl.append(", ").append(quote(column.name())).append(' ').append(sqlType(column.type()));
      }
      ddl.append(", PRIMARY KEY (")
          .append(quote(RESOURCE_KEY))
          .append(", ")
          .append(quote(ROW))
          .append("))");
      execute(connection, ddl.toString());
      return true;
    }
    if (!existing.containsKey(RESOURCE_KEY) || !existing.containsKey(ROW)) {
      throw new PipelineException(
          "view "
              + view.name()
              + " cannot be stored: schema "
              + schema
              + " holds a table "
              + view.name()
              + " that is not a view's (it has no "
              + RESOURCE_KEY
              + " and "
              + ROW
              + " columns); drop or rename that table, or rename the view");
    }
    for (ViewTable.Column column : view.columns()) {
      String type = existing.get(column.name());
      String wanted = sqlType(column.type());
      if (type == null) {
        execute(
            connection,
            "ALTER TABLE "
                + table(view.name())
                + " ADD COLUMN "
                + quote(column.name())
                + " "
                + wanted);
      } else if (!type.equals(wanted)) {
        throw new PipelineException(
            "view "
                + view.name()
                + ": column "
                + column.name()
                + " is "
                + type
                + " in table "
                + table(view.name())
                + " but the view now makes "
                + column.type()
                + " values ("
                + wanted
                + "); drop the table (DROP TABLE "
                + table(view.name())
                + ") and restart: the analytics role rebuilds it from the event hub");
      }
    }
    return false;
  }

  /** The table's columns and types ({@code format_type}) in table order; empty without a table. */
  Map<String, String> columns(Connection connection, String name) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      query.setString(1, table(name));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          columns.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return columns;
  }

  boolean exists(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?)")) {
      query.setString(1, table(name));
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getString(1) != null;
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The columns of a view's table that are the view's, in table order. */
  static List<String> viewColumns(Map<String, String> tableColumns) {
    return tableColumns.keySet().stream()
        .filter(name -> !name.equals(RESOURCE_KEY) && !name.equals(ROW))
        .toList();
  }
}

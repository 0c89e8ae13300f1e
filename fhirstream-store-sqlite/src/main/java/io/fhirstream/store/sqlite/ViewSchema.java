package io.fhirstream.store.sqlite;

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
import java.util.Locale;
import java.util.Map;

/**
 * The table of one SQL on FHIR view: named after the view, a column per view column with the type
 * {@link #sqlType} gives it, and two of ours whose leading underscore no view column can have:
 * {@code _resource_key} (the resource the row was made from, {@code Type/id}) and {@code _row} (the
 * row's place among that resource's rows), together the primary key.
 */
final class ViewSchema {
  static final String RESOURCE_KEY = "_resource_key";
  static final String ROW = "_row";

  private ViewSchema() {}

  /**
   * The declared type of a column. Dates, times and JSON are TEXT: a declared DATE would have
   * numeric affinity and turn the partial date {@code 1970} into the integer 1970. BOOLEAN has
   * numeric affinity and holds 0 or 1; its own name lets a reader give booleans back.
   */
  static String sqlType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "INTEGER";
      case DECIMAL -> "REAL";
      case BOOLEAN -> "BOOLEAN";
      case TEXT, DATE, DATETIME, TIME, JSON -> "TEXT";
    };
  }

  /** A view or column name, checked by {@link ViewTable}'s rule, in double quotes. */
  static String quote(String name) {
    if (!name.matches("_?[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a view or column name");
    }
    return '"' + name + '"';
  }

  /**
   * Creates the view's table, or adds the columns it lacks; inside the caller's transaction.
   *
   * @return whether the table was created (so no version of its rows may be kept)
   * @throws PipelineException for a name the store cannot give the table, a table of that name that
   *     is not a view's, or a column whose type changed
   */
  static boolean define(Connection connection, ViewTable view) throws SQLException {
    ResultNames.requireUsableViewName(view.name());
    if (view.name().toLowerCase(Locale.ROOT).startsWith("sqlite_")) {
      throw new PipelineException(
          "view "
              + view.name()
              + " cannot be stored: SQLite reserves names starting with sqlite_;"
              + " rename the view");
    }
    Map<String, String> existing = columns(connection, view.name());
    if (existing == null) {
      create(connection, view);
      return true;
    }
    if (!existing.containsKey(RESOURCE_KEY) || !existing.containsKey(ROW)) {
      throw new PipelineException(
          "view "
              + view.name()
              + " cannot be stored: the SQLite store holds a table "
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
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "ALTER TABLE "
                  + quote(view.name())
                  + " ADD COLUMN "
                  + quote(column.name())
                  + " "
                  + wanted);
        }
      } else if (!type.equalsIgnoreCase(wanted)) {
        throw typeChanged(view, column, type, wanted);
      }
    }
    return false;
  }

  static PipelineException typeChanged(
      ViewTable view, ViewTable.Column column, String stored, String wanted) {
    return new PipelineException(
        "view "
            + view.name()
            + ": column "
            + column.name()
            + " is "
            + stored
            + " in its table but the view now makes "
            + column.type()
            + " values ("
            + wanted
            + "); drop the table (DROP TABLE "
            + quote(view.name())
            + ") and restart: the analytics role rebuilds it from the event hub");
  }

  private static void create(Connection connection, ViewTable view) throws SQLException {
    StringBuilder ddl =
        new StringBuilder("CREATE TABLE ")
            .append(quote(view.name()))
            .append(" (")
            .append(quote(RESOURCE_KEY))
            .append(" TEXT NOT NULL, ")
            .append(quote(ROW))
            .append(" INTEGER NOT NULL");
    for (ViewTable.Column column : view.columns()) {
      ddl.append(", ").append(quote(column.name())).append(' ').append(sqlType(column.type()));
    }
    ddl.append(", PRIMARY KEY (").append(quote(RESOURCE_KEY)).append(", ").append(quote(ROW));
    ddl.append("))");
    try (Statement statement = connection.createStatement()) {
      statement.execute(ddl.toString());
    }
  }

  /**
   * The table's columns and their declared types in table order, or null when there is no table.
   *
   * @throws PipelineException when a table's name differs from the view's only in letter case:
   *     SQLite's table names ignore case, so the view would write into that table
   */
  static Map<String, String> columns(Connection connection, String view) throws SQLException {
    String stored = tableNamed(connection, view);
    if (stored == null) {
      return null;
    }
    if (!stored.equals(view)) {
      throw new PipelineException(
          "view "
              + view
              + " cannot be stored: the SQLite store holds a table "
              + stored
              + ", whose name differs only in letter case, and SQLite table names ignore case;"
              + " rename the view");
    }
    Map<String, String> columns = new LinkedHashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement("SELECT name, type FROM pragma_table_info(?) ORDER BY cid")) {
      query.setString(1, view);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          columns.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    return columns;
  }

  /** The stored name of the table named {@code name} in any letter case, or null. */
  private static String tableNamed(Connection connection, String name) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}

package io.fhirstream.api.results;

import java.util.List;
import java.util.Objects;

/**
 * What a store needs to hold a view's rows: its name and typed columns, in row order.
 *
 * @param name the view's name: a letter, then letters, digits and underscores (SQL on FHIR's rule),
 *     at most 63 characters; it names the table (or container, or collection)
 * @param columns the columns, each name unique in the view
 */
public record ViewTable(String name, List<Column> columns) {

  /** One column: a name under the same rule as a view's, and its type family. */
  public record Column(String name, ColumnType type) {
    public Column {
      Objects.requireNonNull(type, "type");
      requireName(name, "column");
    }
  }

  public ViewTable {
    requireName(name, "view");
    columns = List.copyOf(columns);
    if (columns.stream().map(Column::name).distinct().count() < columns.size()) {
      throw new IllegalArgumentException("view " + name + " names a column twice");
    }
  }

  /**
   * Checks that a row has one value per column, each of a Java type its column's {@link ColumnType}
   * accepts.
   *
   * @throws IllegalArgumentException naming the view and the column, never the value
   */
  public void requireRow(List<?> row) {
    if (row.size() != columns.size()) {
      throw new IllegalArgumentException(
          "a row of view "
              + name
              + " has "
              + row.size()
              + " values for "
              + columns.size()
              + " columns");
    }
    for (int i = 0; i < row.size(); i++) {
      Column column = columns.get(i);
      if (!column.type().accepts(row.get(i))) {
        throw new IllegalArgumentException(
            "column "
                + column.name()
                + " of view "
                + name
                + " is "
                + column.type()
                + " but a row holds a "
                + row.get(i).getClass().getSimpleName()
                + " there");
      }
    }
  }

  private static void requireName(String name, String what) {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "a " + what + " name is a letter, then letters, digits and underscores: " + name);
    }
  }
}

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

  private static void requireName(String name, String what) {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "a " + what + " name is a letter, then letters, digits and underscores: " + name);
    }
  }
}

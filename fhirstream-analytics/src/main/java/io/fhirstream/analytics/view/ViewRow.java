package io.fhirstream.analytics.view;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a view: a value per column, in the view's column order. A value is {@code null}, or
 * the Java type its column's {@link io.fhirstream.api.results.ColumnType} lists ({@code String},
 * {@code Integer}, {@code BigDecimal}, {@code Boolean}, or a {@code List} of those for a collection
 * column).
 *
 * <p>{@link #toString()} prints no values: they are patient data.
 */
public final class ViewRow {
  private final List<ViewColumn> columns;
  private final Map<String, Integer> index;
  private final Object[] values;

  ViewRow(List<ViewColumn> columns, Map<String, Integer> index, Object[] values) {
    this.columns = columns;
    this.index = index;
    this.values = values;
  }

  /** The value of a column by position (0-based, in {@link CompiledView#columns()} order). */
  public Object get(int column) {
    return values[column];
  }

  /**
   * The value of a column by name.
   *
   * @throws IllegalArgumentException if the view has no such column
   */
  public Object get(String column) {
    Integer i = index.get(column);
    if (i == null) {
      throw new IllegalArgumentException(
          "no column '" + column + "'; the view has " + index.keySet());
    }
    return values[i];
  }

  /** The values in column order; unmodifiable, nulls included. */
  public List<Object> values() {
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  /** Column name to value, in column order. */
  public Map<String, Object> asMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(columns.get(i).name(), values[i]);
    }
    return map;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewRow other
        && columns.equals(other.columns)
        && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    // Never print the values: they are patient data.
    return "ViewRow[" + values.length + " columns]";
  }
}

package io.fhirstream.api.results;

import java.math.BigDecimal;
import java.util.List;

/**
 * The family of SQL type a view column needs. A store maps each family to its own type names; the
 * Java values a row holds for each family are listed here, and nothing else.
 */
public enum ColumnType {
  /** Strings, codes, ids, URIs ({@code String}); also any column of unknown type. */
  TEXT,
  /** integer, positiveInt, unsignedInt ({@code Integer} or {@code Long}). */
  INTEGER,
  /** decimal ({@code BigDecimal}, exact): NUMERIC where the store has it, REAL where not. */
  DECIMAL,
  /** boolean ({@code Boolean}). */
  BOOLEAN,
  /**
   * date ({@code String} as FHIR writes it: {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}).
   */
  DATE,
  /** dateTime and instant ({@code String} as FHIR writes it, possibly partial). */
  DATETIME,
  /** time of day ({@code String}, {@code hh:mm:ss}). */
  TIME,
  /**
   * a collection ({@code List} of the values above); a JSON array where the store has no arrays.
   */
  JSON;

  /** Whether a row may hold {@code value} in a column of this type; null is always allowed. */
  public boolean accepts(Object value) {
    if (value == null) {
      return true;
    }
    return switch (this) {
      case TEXT, DATE, DATETIME, TIME -> value instanceof String;
      case INTEGER -> value instanceof Integer || value instanceof Long;
      case DECIMAL ->
          value instanceof BigDecimal || value instanceof Integer || value instanceof Long;
      case BOOLEAN -> value instanceof Boolean;
      case JSON -> value instanceof List<?> list && list.stream().allMatch(JSON::acceptsElement);
    };
  }

  private boolean acceptsElement(Object element) {
    return element == null
        || element instanceof String
        || element instanceof Boolean
        || element instanceof Integer
        || element instanceof Long
        || element instanceof BigDecimal
        || accepts(element);
  }
}

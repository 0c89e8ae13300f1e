package io.fhirstream.api.results;

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
  JSON
}

package io.fhirstream.analytics.view;

import java.util.Map;

/**
 * The family of SQL column type a view column needs, from its FHIR type. A store writer maps each
 * family to its own type names; the values a {@link ViewRow} holds for each family are listed
 * below.
 */
public enum SqlType {
  /** Strings, codes, ids, URIs, base64 ({@code String}); also any column of unknown type. */
  TEXT,
  /** integer, positiveInt, unsignedInt ({@code Integer}). */
  INTEGER,
  /**
   * decimal ({@code BigDecimal}, exact): NUMERIC where the store has it, REAL where it has not
   * (SQLite).
   */
  DECIMAL,
  /** boolean ({@code Boolean}). */
  BOOLEAN,
  /**
   * date ({@code String} as FHIR writes it: {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}).
   */
  DATE,
  /**
   * dateTime and instant ({@code String} as FHIR writes it, possibly partial such as {@code
   * 2020-03}; with a time it has a zone). A writer parses it into a timestamp with time zone.
   */
  DATETIME,
  /** time of day ({@code String}, {@code hh:mm:ss}). */
  TIME,
  /** a {@code collection: true} column ({@code List} of the element values; a JSON array). */
  JSON;

  private static final Map<String, SqlType> BY_FHIR_TYPE =
      Map.ofEntries(
          Map.entry("boolean", BOOLEAN),
          Map.entry("integer", INTEGER),
          Map.entry("positiveInt", INTEGER),
          Map.entry("unsignedInt", INTEGER),
          Map.entry("decimal", DECIMAL),
          Map.entry("date", DATE),
          Map.entry("dateTime", DATETIME),
          Map.entry("instant", DATETIME),
          Map.entry("time", TIME));

  /**
   * The family for a column of the given FHIR type.
   *
   * @param fhirType a FHIR primitive type name, or {@code null} when it is not known
   * @param collection whether the column is declared {@code collection: true}
   */
  public static SqlType of(String fhirType, boolean collection) {
    if (collection) {
      return JSON;
    }
    return fhirType == null ? TEXT : BY_FHIR_TYPE.getOrDefault(fhirType, TEXT);
  }
}

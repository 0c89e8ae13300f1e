package io.fhirstream.analytics.view;

import io.fhirstream.api.results.ColumnType;
import java.util.Map;

/**
 * The {@link ColumnType} (the results SPI's SQL type family) a view column needs, from its FHIR
 * type. A store writer maps each family to its own type names; {@link ColumnType} lists the Java
 * values a {@link ViewRow} holds for each.
 */
public final class ColumnTypes {
  private static final Map<String, ColumnType> BY_FHIR_TYPE =
      Map.ofEntries(
          Map.entry("boolean", ColumnType.BOOLEAN),
          Map.entry("integer", ColumnType.INTEGER),
          Map.entry("positiveInt", ColumnType.INTEGER),
          Map.entry("unsignedInt", ColumnType.INTEGER),
          Map.entry("decimal", ColumnType.DECIMAL),
          Map.entry("date", ColumnType.DATE),
          Map.entry("dateTime", ColumnType.DATETIME),
          Map.entry("instant", ColumnType.DATETIME),
          Map.entry("time", ColumnType.TIME));

  private ColumnTypes() {}

  /**
   * The family for a column of the given FHIR type: strings, codes, ids, URIs and columns of
   * unknown type are {@link ColumnType#TEXT}; a {@code collection: true} column is {@link
   * ColumnType#JSON} (a {@code List} of the element values).
   *
   * @param fhirType a FHIR primitive type name, or {@code null} when it is not known
   * @param collection whether the column is declared {@code collection: true}
   */
  public static ColumnType of(String fhirType, boolean collection) {
    if (collection) {
      return ColumnType.JSON;
    }
    return fhirType == null
        ? ColumnType.TEXT
        : BY_FHIR_TYPE.getOrDefault(fhirType, ColumnType.TEXT);
  }
}

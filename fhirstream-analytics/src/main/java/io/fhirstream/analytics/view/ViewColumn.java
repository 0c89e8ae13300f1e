package io.fhirstream.analytics.view;

import io.fhirstream.api.results.ColumnType;

/**
 * A column of a compiled view, with what a store writer needs to create it.
 *
 * @param name the column name (unique in the view, usable unquoted in SQL)
 * @param fhirType the FHIR primitive type of its values: the column's declared {@code type}, else
 *     the type its path gives when that is known (e.g. {@code birthDate} is {@code date}); {@code
 *     null} when neither says
 * @param collection whether the column holds a list of values ({@code collection: true})
 * @param type the results SPI's type family for {@code fhirType} and {@code collection} ({@link
 *     ColumnTypes#of})
 */
public record ViewColumn(String name, String fhirType, boolean collection, ColumnType type) {

  public ViewColumn(String name, String fhirType, boolean collection) {
    this(name, fhirType, collection, ColumnTypes.of(fhirType, collection));
  }
}

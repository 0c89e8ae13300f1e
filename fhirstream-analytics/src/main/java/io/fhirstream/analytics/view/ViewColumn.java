package io.fhirstream.analytics.view;

/**
 * A column of a compiled view, with what a store writer needs to create it.
 *
 * @param name the column name (unique in the view, usable unquoted in SQL)
 * @param fhirType the FHIR primitive type of its values: the column's declared {@code type}, else
 *     the type its path gives when that is known (e.g. {@code birthDate} is {@code date}); {@code
 *     null} when neither says
 * @param collection whether the column holds a list of values ({@code collection: true})
 * @param sqlType the SQL type family for {@code fhirType} and {@code collection}
 */
public record ViewColumn(String name, String fhirType, boolean collection, SqlType sqlType) {

  public ViewColumn(String name, String fhirType, boolean collection) {
    this(name, fhirType, collection, SqlType.of(fhirType, collection));
  }
}

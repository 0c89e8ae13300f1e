package io.fhirstream.store.sqlite;

import io.fhirstream.api.store.TypedStoreFactory;

/** The SQLite store; selected with {@code store.type=sqlite}. It holds analytics results too. */
public final class SqliteStoreFactory extends TypedStoreFactory<SqliteStoreConfig> {
  /** The value of {@code store.type} that selects this store. */
  public static final String NAME = "sqlite";

  public SqliteStoreFactory() {
    super(
        NAME,
        SqliteStoreConfig.DEFINITION,
        SqliteStoreConfig::from,
        SqliteDocumentWriter::new,
        SqliteDocumentReader::open);
    holdsResults(SqliteResultWriter::new, SqliteResultReader::open);
  }
}

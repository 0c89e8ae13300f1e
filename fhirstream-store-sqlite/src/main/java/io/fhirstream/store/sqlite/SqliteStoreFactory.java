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
        // Lambdas, not method references: the writers' and readers' classes (and the driver's
        // behind them) load when this store is chosen, not whenever the factories are listed.
        config -> new SqliteDocumentWriter(config),
        config -> SqliteDocumentReader.open(config));
    holdsResults(
        config -> new SqliteResultWriter(config), config -> SqliteResultReader.open(config));
  }
}

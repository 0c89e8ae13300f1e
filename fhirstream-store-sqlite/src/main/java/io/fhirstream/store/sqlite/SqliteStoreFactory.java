package io.fhirstream.store.sqlite;

import io.fhirstream.api.store.TypedStoreFactory;

/** The SQLite store; selected with {@code store.type=sqlite}. */
public final class SqliteStoreFactory extends TypedStoreFactory<SqliteStoreConfig> {
  /** The value of {@code store.type} that selects this store. */
  public static final String NAME = "sqlite";

  public SqliteStoreFactory() {
    super(
        NAME,
        SqliteStoreConfig.DEFINITION,
        SqliteStoreConfig::from,
        // Lambdas, not method references: the writer's and reader's classes (and the driver's
        // behind them) load when this store is chosen, not whenever the factories are listed.
        config -> new SqliteDocumentWriter(config),
        config -> SqliteDocumentReader.open(config));
  }
}

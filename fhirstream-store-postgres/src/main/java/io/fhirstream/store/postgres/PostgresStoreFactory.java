package io.fhirstream.store.postgres;

import io.fhirstream.api.store.TypedStoreFactory;

/**
 * The PostgreSQL store; selected with {@code store.type=postgres}. It holds analytics results too.
 */
public final class PostgresStoreFactory extends TypedStoreFactory<PostgresStoreConfig> {
  /** The value of {@code store.type} that selects this store. */
  public static final String NAME = "postgres";

  public PostgresStoreFactory() {
    super(
        NAME,
        PostgresStoreConfig.DEFINITION,
        PostgresStoreConfig::from,
        // Lambdas, not method references: the writers' and readers' classes (and the driver's
        // behind them) load when this store is chosen, not whenever the factories are listed.
        config -> new PostgresDocumentWriter(config),
        config -> PostgresDocumentReader.open(config));
    holdsResults(
        config -> new PostgresResultWriter(config), config -> PostgresResultReader.open(config));
  }
}

package io.fhirstream.store.mongodb;

import io.fhirstream.api.store.TypedStoreFactory;

/**
 * The MongoDB API store; selected with {@code store.type=mongodb}. It holds analytics results too.
 */
public final class MongoStoreFactory extends TypedStoreFactory<MongoStoreConfig> {
  /** The value of {@code store.type} that selects this store. */
  public static final String NAME = "mongodb";

  public MongoStoreFactory() {
    super(
        NAME,
        MongoStoreConfig.DEFINITION,
        MongoStoreConfig::from,
        // Lambdas, not method references: the writers' and readers' classes (and the driver's
        // behind them) load when this store is chosen, not whenever the factories are listed.
        config -> new MongoDocumentWriter(config),
        config -> MongoDocumentReader.open(config));
    holdsResults(config -> new MongoResultWriter(config), config -> MongoResultReader.open(config));
  }
}

package io.fhirstream.store.cosmos;

import io.fhirstream.api.store.TypedStoreFactory;

/**
 * The Azure Cosmos DB (NoSQL API) store; selected with {@code store.type=cosmos}. It holds
 * analytics results too.
 */
public final class CosmosStoreFactory extends TypedStoreFactory<CosmosStoreConfig> {
  /** The value of {@code store.type} that selects this store. */
  public static final String NAME = "cosmos";

  public CosmosStoreFactory() {
    super(
        NAME,
        CosmosStoreConfig.DEFINITION,
        CosmosStoreConfig::from,
        // Lambdas, not method references: the writers' and readers' classes (and the driver's
        // behind them) load when this store is chosen, not whenever the factories are listed.
        config -> new CosmosDocumentWriter(config),
        config -> CosmosDocumentReader.open(config));
    holdsResults(
        config -> new CosmosResultWriter(config), config -> CosmosResultReader.open(config));
  }
}

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
        CosmosDocumentWriter::new,
        CosmosDocumentReader::open);
    holdsResults(CosmosResultWriter::new, CosmosResultReader::open);
  }
}

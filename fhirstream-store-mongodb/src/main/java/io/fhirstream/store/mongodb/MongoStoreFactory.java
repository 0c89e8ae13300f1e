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
        MongoDocumentWriter::new,
        MongoDocumentReader::open);
    holdsResults(MongoResultWriter::new, MongoResultReader::open);
  }
}

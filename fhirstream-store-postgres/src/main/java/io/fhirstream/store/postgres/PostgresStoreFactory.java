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
        PostgresDocumentWriter::new,
        PostgresDocumentReader::open);
    holdsResults(PostgresResultWriter::new, PostgresResultReader::open);
  }
}

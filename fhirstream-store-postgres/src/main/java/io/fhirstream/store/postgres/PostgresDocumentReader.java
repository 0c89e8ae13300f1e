package io.fhirstream.store.postgres;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads back what the store holds. TODO(restructure): being written; not yet usable. */
public final class PostgresDocumentReader implements DocumentReader {
  private PostgresDocumentReader() {}

  public static PostgresDocumentReader open(PostgresStoreConfig config) {
    throw new PipelineException("reading back the postgres store is not implemented yet");
  }

  @Override
  public List<String> resourceTypes() {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<StoredDocument> read(String resourceType, String id) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor) {
    throw new UnsupportedOperationException();
  }
}

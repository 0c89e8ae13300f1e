package io.fhirstream.store.postgres;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.DocumentWriterContract;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The PostgreSQL store against the contract, each test in a fresh schema, read back through {@link
 * PostgresDocumentReader} (whose results {@code PostgresDocumentReaderTest} checks against the
 * documented columns). Subclasses say which server.
 */
abstract class PostgresWriterContractBase extends DocumentWriterContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  protected String schema;
  private PostgresDocumentReader reader;

  /** Settings for a writer writing into {@code schema} on the server under test. */
  protected abstract PostgresStoreConfig config(String schema);

  @Override
  protected DocumentWriter newWriter() {
    schema =
        getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).replace("test", "")
            + "_"
            + SCHEMAS.incrementAndGet();
    return newWriterOverSameStore();
  }

  @Override
  protected DocumentWriter newWriterOverSameStore() {
    return new PostgresDocumentWriter(config(schema));
  }

  /** jsonb keeps the parsed document, not the bytes: compared as JSON. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  /** jsonb refuses the escape {@code \u0000} in a string (SQLSTATE 22P05). */
  @Override
  protected Optional<ChangeEvent> eventTheStoreRejects() {
    byte[] body =
        "{\"resourceType\":\"Patient\",\"id\":\"nul\",\"name\":[{\"family\":\"A\\u0000B\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    return Optional.of(ChangeEvent.upsert("Patient", "nul", "1", FhirFixtures.T0, body));
  }

  /** Through the store's own reader, on a connection of its own. */
  @Override
  protected Optional<ReadBack> readBack(String resourceType, String id) {
    if (reader == null) {
      reader = PostgresDocumentReader.open(config(schema));
    }
    return reader.read(resourceType, id).map(ReadBack::of);
  }

  /** Forgets the reader, e.g. before an outage kills its connection. */
  protected void dropReader() {
    if (reader != null) {
      try {
        reader.close();
      } finally {
        reader = null;
      }
    }
  }

  @AfterEach
  void closeReader() {
    dropReader();
  }
}

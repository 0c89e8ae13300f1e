package io.fhirstream.sinks.postgres;

import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;

/** Makes {@link PostgresDocumentSink}s; selected with {@code sink.store=postgres}. */
public final class PostgresSinkFactory implements DocumentSinkFactory {
  /** The value of {@code sink.store} that selects this store. */
  public static final String NAME = "postgres";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return PostgresSinkConfig.DEFINITION;
  }

  @Override
  public DocumentSink create(Config config) {
    return new PostgresDocumentSink(PostgresSinkConfig.from(config));
  }
}

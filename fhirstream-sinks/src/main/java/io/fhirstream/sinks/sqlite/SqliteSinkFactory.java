package io.fhirstream.sinks.sqlite;

import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;

/** Makes {@link SqliteDocumentSink}s; selected with {@code sink.store=sqlite}. */
public final class SqliteSinkFactory implements DocumentSinkFactory {
  /** The value of {@code sink.store} that selects this store. */
  public static final String NAME = "sqlite";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return SqliteSinkConfig.DEFINITION;
  }

  @Override
  public DocumentSink create(Config config) {
    return new SqliteDocumentSink(SqliteSinkConfig.from(config));
  }
}

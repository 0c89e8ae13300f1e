package io.fhirstream.sinks.sqlite;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.DriverCeiling;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import java.util.List;

/** Makes {@link SqliteDocumentSink}s; selected with {@code sink.store=sqlite}. */
public final class SqliteSinkFactory implements DocumentSinkFactory, DriverCeiling {
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

  @Override
  public double upsertsPerSecond(Config config, List<ChangeEvent> events) {
    return SqliteDriverCeiling.upsertsPerSecond(SqliteSinkConfig.from(config), events);
  }
}

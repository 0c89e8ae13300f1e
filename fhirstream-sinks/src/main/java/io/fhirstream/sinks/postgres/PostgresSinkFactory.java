package io.fhirstream.sinks.postgres;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.DriverCeiling;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import java.util.List;

/** Makes {@link PostgresDocumentSink}s; selected with {@code sink.store=postgres}. */
public final class PostgresSinkFactory implements DocumentSinkFactory, DriverCeiling {
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

  @Override
  public double upsertsPerSecond(Config config, List<ChangeEvent> events) {
    return PostgresDriverCeiling.upsertsPerSecond(PostgresSinkConfig.from(config), events);
  }
}

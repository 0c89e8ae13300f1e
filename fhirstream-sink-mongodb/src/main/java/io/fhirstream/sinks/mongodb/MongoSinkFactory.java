package io.fhirstream.sinks.mongodb;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.DriverCeiling;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import java.util.List;

/**
 * Makes {@link MongoDocumentSink}s; selected with {@code sink.store=mongodb} (MongoDB, Atlas, Azure
 * Cosmos DB for MongoDB, Amazon DocumentDB).
 */
public final class MongoSinkFactory implements DocumentSinkFactory, DriverCeiling {
  /** The value of {@code sink.store} that selects this store. */
  public static final String NAME = "mongodb";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return MongoSinkConfig.DEFINITION;
  }

  @Override
  public DocumentSink create(Config config) {
    return new MongoDocumentSink(MongoSinkConfig.from(config));
  }

  @Override
  public double upsertsPerSecond(Config config, List<ChangeEvent> events) {
    return MongoDriverCeiling.upsertsPerSecond(MongoSinkConfig.from(config), events);
  }
}

package io.fhirstream.sinks.cosmos;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DocumentSink;
import io.fhirstream.api.DocumentSinkFactory;
import io.fhirstream.api.DriverCeiling;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import java.util.List;

/** Makes {@link CosmosDocumentSink}s; selected with {@code sink.store=cosmos}. */
public final class CosmosSinkFactory implements DocumentSinkFactory, DriverCeiling {
  /** The value of {@code sink.store} that selects this store. */
  public static final String NAME = "cosmos";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return CosmosSinkConfig.DEFINITION;
  }

  /**
   * @throws io.fhirstream.api.config.ConfigException naming the key when the settings do not fit
   *     together (e.g. key authentication without a key)
   */
  @Override
  public DocumentSink create(Config config) {
    return new CosmosDocumentSink(CosmosSinkConfig.from(config));
  }

  @Override
  public double upsertsPerSecond(Config config, List<ChangeEvent> events) {
    return CosmosDriverCeiling.upsertsPerSecond(CosmosSinkConfig.from(config), events);
  }
}

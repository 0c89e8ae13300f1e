package io.fhirstream.api;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;

/**
 * Makes a {@link DocumentSink}; found with {@link java.util.ServiceLoader} and chosen by the {@code
 * sink.store} setting.
 */
public interface DocumentSinkFactory {

  /** The value of {@code sink.store} that selects this store, e.g. {@code sqlite}. */
  String name();

  /** The store's own settings, all under {@code sink.<name>.}. */
  ConfigDefinition configDefinition();

  /** A sink for the given, already validated settings. */
  DocumentSink create(Config config);
}

package io.fhirstream.api.source;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;

/**
 * Makes a {@link ChangeSource}; found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/io.fhirstream.api.source.ChangeSourceFactory}) and chosen by the {@code
 * source.type} setting.
 */
public interface ChangeSourceFactory {

  /** The value of {@code source.type} that selects this source, e.g. {@code fhir}. */
  String name();

  /** The source's own settings, all under {@code source.}. */
  ConfigDefinition configDefinition();

  /**
   * A source for the given, already validated settings; it connects in {@link ChangeSource#start}.
   *
   * @throws io.fhirstream.api.config.ConfigException naming the key when the settings do not fit
   *     together
   */
  ChangeSource create(Config config, SourceContext context);
}

package io.fhirstream.source;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.source.ChangeSourceFactory;
import io.fhirstream.api.source.SourceContext;

/** The FHIR change source; selected with {@code source.type=fhir}, the default. */
public final class FhirSourceFactory implements ChangeSourceFactory {
  /** The value of {@code source.type} that selects this source. */
  public static final String NAME = "fhir";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return SourceConfig.DEFINITION;
  }

  @Override
  public ChangeSource create(Config config, SourceContext context) {
    return source(SourceConfig.from(config, context.resourceTypes()), context);
  }

  /** The FHIR source with typed settings, for a source that polls beside its own feed. */
  public static FhirChangeSource source(SourceConfig config, SourceContext context) {
    return new FhirChangeSource(config, context);
  }
}

package io.fhirstream.source.events;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.source.ChangeSourceFactory;
import io.fhirstream.api.source.SourceContext;
import io.fhirstream.source.SourceConfig;

/**
 * Azure Health Data Services events as a change source, selected with {@code
 * source.type=ahds-events}: the FHIR source's settings, plus {@code source.events.*}.
 */
public final class EventsSourceFactory implements ChangeSourceFactory {
  /** The value of {@code source.type} that selects this source. */
  public static final String NAME = "ahds-events";

  private static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder(EventsConfig.DEFINITION.title())
          .include(EventsConfig.DEFINITION)
          .include(SourceConfig.DEFINITION)
          .build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ConfigDefinition configDefinition() {
    return DEFINITION;
  }

  @Override
  public ChangeSource create(Config config, SourceContext context) {
    EventsConfig events = EventsConfig.from(config);
    return new EventsChangeSource(
        events,
        SourceConfig.from(config, context.resourceTypes())
            .withPollInterval(events.safetyNetInterval()),
        context);
  }
}

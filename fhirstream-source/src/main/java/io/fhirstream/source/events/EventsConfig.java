package io.fhirstream.source.events;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.time.Duration;

/**
 * Settings of the Health Data Services events source ({@code source.type=ahds-events}), declared
 * once in {@link #DEFINITION}; the FHIR server's own settings ({@code source.fhir.*}, …) are the
 * FHIR source's.
 *
 * @param topic the event hub the Event Grid subscription delivers the FHIR events to
 * @param consumerGroup the consumer group this source reads it with
 * @param safetyNetInterval how often the FHIR server is polled beside the events, for what events
 *     miss (Event Grid drops events it cannot deliver for 24 hours)
 * @param readParallelism how many resource versions are read from the server at once
 */
public record EventsConfig(
    String topic, String consumerGroup, Duration safetyNetInterval, int readParallelism) {

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder(
              "Source: Azure Health Data Services events (source.type=ahds-events)")
          .define(
              "source.events.topic",
              ConfigType.STRING,
              "fhirstream.ahds-events",
              Validators.NON_EMPTY,
              "The event hub an Event Grid subscription delivers the FHIR service's"
                  + " FhirResourceCreated/Updated/Deleted events to (Event Grid or CloudEvents"
                  + " schema).")
          .define(
              "source.events.consumer-group",
              ConfigType.STRING,
              "fhirstream-ahds-events",
              Validators.NON_EMPTY,
              "The consumer group the source reads the events with; instances share it.")
          .define(
              "source.events.safety-net-interval",
              ConfigType.DURATION,
              "5m",
              Validators.POSITIVE_DURATION,
              "How often the FHIR server's history is polled beside the events, for changes whose"
                  + " events never arrive.")
          .define(
              "source.events.read-parallelism",
              ConfigType.INT,
              "4",
              Validators.between(1, 16),
              "How many resource versions an events batch reads from the FHIR server at once.")
          .build();

  /** Reads the validated settings. */
  public static EventsConfig from(Config config) {
    return new EventsConfig(
        config.getString("source.events.topic"),
        config.getString("source.events.consumer-group"),
        config.getDuration("source.events.safety-net-interval"),
        config.getInt("source.events.read-parallelism"));
  }
}

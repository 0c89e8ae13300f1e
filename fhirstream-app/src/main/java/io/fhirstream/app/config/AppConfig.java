package io.fhirstream.app.config;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the runtime itself: which store, the sink's consumer group, the embedded broker.
 *
 * @param store the {@code name()} of the {@link io.fhirstream.api.DocumentSinkFactory} to use
 * @param groupId the sink's Kafka consumer group; instances in one group share the partitions
 * @param pollTimeout how long the sink waits for records in one poll
 * @param embeddedKafkaDir where the embedded broker keeps its log
 * @param embeddedKafkaPort the embedded broker's port on 127.0.0.1; 0 picks a free one
 */
public record AppConfig(
    String store, String groupId, Duration pollTimeout, Path embeddedKafkaDir,
    int embeddedKafkaPort) {

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Sink runtime and embedded broker")
          .define(
              "sink.store",
              ConfigType.STRING,
              "sqlite",
              Validators.NON_EMPTY,
              "The document store to write to (sqlite in this version).")
          .define(
              "sink.group-id",
              ConfigType.STRING,
              "fhirstream-sink",
              Validators.NON_EMPTY,
              "Kafka consumer group of the sink; instances in one group share the partitions.")
          .define(
              "sink.poll-timeout",
              ConfigType.DURATION,
              "500ms",
              Validators.POSITIVE_DURATION,
              "How long the sink waits for records in one poll.")
          .define(
              "embedded.kafka.data-dir",
              ConfigType.PATH,
              "fhirstream-data/kafka",
              "Log directory of the in-process Kafka broker, started when"
                  + " kafka.bootstrap.servers is not set.")
          .define(
              "embedded.kafka.port",
              ConfigType.INT,
              "0",
              Validators.atLeast(0),
              "Port of the in-process broker on 127.0.0.1; 0 picks a free port.")
          .build();

  public static AppConfig from(Config config) {
    return new AppConfig(
        config.getString("sink.store"),
        config.getString("sink.group-id"),
        config.getDuration("sink.poll-timeout"),
        config.getPath("embedded.kafka.data-dir"),
        config.getInt("embedded.kafka.port"));
  }
}

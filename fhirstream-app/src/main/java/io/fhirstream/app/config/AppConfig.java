package io.fhirstream.app.config;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import io.fhirstream.api.fhir.JsonLimits;
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
 * @param jsonLimits bounds on the JSON the sink accepts from the hub
 */
public record AppConfig(
    String store,
    String groupId,
    Duration pollTimeout,
    Path embeddedKafkaDir,
    int embeddedKafkaPort,
    JsonLimits jsonLimits) {

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Sink runtime and embedded broker")
          .define(
              "sink.store",
              ConfigType.STRING,
              "sqlite",
              Validators.NON_EMPTY,
              "The document store to write to: sqlite (embedded, the default), postgres, cosmos"
                  + " (Azure Cosmos DB, NoSQL API) or mongodb (MongoDB, Atlas, Azure Cosmos DB for"
                  + " MongoDB, DocumentDB); each has its own sink.<store>.* keys.")
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
              "sink.json.max-depth",
              ConfigType.INT,
              Integer.toString(JsonLimits.DEFAULT.maxDepth()),
              Validators.atLeast(1),
              "Deepest JSON nesting the sink accepts; deeper events go to the dead-letter topic.")
          .define(
              "sink.json.max-string-length",
              ConfigType.INT,
              Integer.toString(JsonLimits.DEFAULT.maxStringLength()),
              Validators.atLeast(1),
              "Longest JSON string (characters) the sink accepts, e.g. a base64 attachment.")
          .define(
              "sink.json.max-document-bytes",
              ConfigType.INT,
              Integer.toString(JsonLimits.DEFAULT.maxDocumentBytes()),
              Validators.atLeast(1),
              "Largest resource document the sink accepts; larger events go to the dead-letter"
                  + " topic.")
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
        config.getInt("embedded.kafka.port"),
        new JsonLimits(
            config.getInt("sink.json.max-depth"),
            config.getInt("sink.json.max-string-length"),
            config.getInt("sink.json.max-document-bytes")));
  }
}

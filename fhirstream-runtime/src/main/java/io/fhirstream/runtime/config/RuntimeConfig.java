package io.fhirstream.runtime.config;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.source.SourceContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the runtime itself: which source and store, the types that flow, the sink role's
 * consumer group and bounds, the embedded broker.
 *
 * @param sourceType the {@code name()} of the {@link io.fhirstream.api.source.ChangeSourceFactory}
 * @param resourceTypes the types streamed, or {@link SourceContext#ALL_TYPES} alone
 * @param storeType the {@code name()} of the {@link io.fhirstream.api.store.DocumentStoreFactory}
 * @param groupId the sink's Kafka consumer group; instances in one group share the partitions
 * @param pollTimeout how long the sink waits for records in one poll
 * @param embeddedKafka whether to start a Kafka broker in this process instead of connecting to one
 * @param embeddedKafkaDir where the embedded broker keeps its log
 * @param embeddedKafkaPort the embedded broker's port on 127.0.0.1; 0 picks a free one
 * @param jsonLimits bounds on the JSON of an event, checked by the sink and honoured by sources
 */
public record RuntimeConfig(
    String sourceType,
    List<String> resourceTypes,
    String storeType,
    String groupId,
    Duration pollTimeout,
    boolean embeddedKafka,
    Path embeddedKafkaDir,
    int embeddedKafkaPort,
    JsonLimits jsonLimits) {

  /** The key that starts the in-process broker. */
  public static final String EMBEDDED_KAFKA = "embedded.kafka.enabled";

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Pipeline: source, store, sink role and embedded broker")
          .define(
              "source.type",
              ConfigType.STRING,
              "fhir",
              Validators.NON_EMPTY,
              "The change source: fhir (a FHIR R4 server's history, search, $export or rest-hook"
                  + " push; its settings are the source.* keys below) or ahds-events (Azure Health"
                  + " Data Services' FHIR events from an event hub, with the FHIR source polling"
                  + " beside them; source.events.* and the FHIR source's keys).")
          .define(
              "source.resource-types",
              ConfigType.LIST,
              "Patient",
              RuntimeConfig::resourceTypesProblem,
              "Resource types to stream, e.g. Patient,Encounter,Observation; each gets its own"
                  + " topic, cursor and store table. * alone: every type the server's"
                  + " CapabilityStatement lists with history-type or search-type, resolved at"
                  + " start-up (a sink-only instance then reads every resource topic). A listed"
                  + " type the server does not offer stops the start.")
          .define(
              "store.type",
              ConfigType.STRING,
              "sqlite",
              Validators.NON_EMPTY,
              "The document store to write to: sqlite (embedded, the default), postgres, cosmos"
                  + " (Azure Cosmos DB, NoSQL API) or mongodb (MongoDB, Atlas, Azure Cosmos DB for"
                  + " MongoDB, DocumentDB); each has its own store.<store>.* keys.")
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
              EMBEDDED_KAFKA,
              ConfigType.BOOLEAN,
              "false",
              "Start a single-node Kafka broker inside this process (KRaft, 127.0.0.1) and use it"
                  + " as the hub, instead of connecting to kafka.bootstrap.servers: for trying"
                  + " fhirstream on one machine (demo sets it). Never for production: the"
                  + " events live in embedded.kafka.data-dir on this machine only.")
          .define(
              "embedded.kafka.data-dir",
              ConfigType.PATH,
              "fhirstream-data/kafka",
              "Log directory of the in-process Kafka broker (embedded.kafka.enabled=true).")
          .define(
              "embedded.kafka.port",
              ConfigType.INT,
              "0",
              Validators.atLeast(0),
              "Port of the in-process broker on 127.0.0.1; 0 picks a free port.")
          .build();

  public static RuntimeConfig from(Config config) {
    return new RuntimeConfig(
        config.getString("source.type"),
        config.getList("source.resource-types"),
        config.getString("store.type"),
        config.getString("sink.group-id"),
        config.getDuration("sink.poll-timeout"),
        config.getBoolean(EMBEDDED_KAFKA),
        config.getPath("embedded.kafka.data-dir"),
        config.getInt("embedded.kafka.port"),
        new JsonLimits(
            config.getInt("sink.json.max-depth"),
            config.getInt("sink.json.max-string-length"),
            config.getInt("sink.json.max-document-bytes")));
  }

  /** Whether the types are {@code *}, resolved by the source from what the server offers. */
  public boolean allTypes() {
    return resourceTypes.equals(List.of(SourceContext.ALL_TYPES));
  }

  private static final ConfigKey.Validator TYPE_NAMES =
      Validators.eachMatches("[A-Z][A-Za-z]{1,63}", "a FHIR resource type such as Patient");

  private static String resourceTypesProblem(Object value) {
    List<?> types = (List<?>) value;
    if (types.contains(SourceContext.ALL_TYPES)) {
      return types.size() == 1
          ? null
          : "'*' means every type the server offers; use it alone or list the types";
    }
    String problem = Validators.NON_EMPTY.check(value);
    if (problem != null) {
      return problem;
    }
    if (types.stream().distinct().count() < types.size()) {
      return "lists a type twice";
    }
    return TYPE_NAMES.check(value);
  }
}

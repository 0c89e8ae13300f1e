package io.fhirstream.kafka;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.util.List;
import java.util.Map;

/**
 * Topic layout and client settings of the event hub, declared once in {@link #DEFINITION}. Any
 * Kafka client setting passes through under {@code kafka.} (e.g. {@code kafka.bootstrap.servers},
 * {@code kafka.security.protocol}); {@code kafka.producer.} and {@code kafka.consumer.} reach only
 * that client.
 *
 * @param topicPrefix topics are {@code prefix + resourceType}
 * @param partitions partitions of topics fhirstream creates
 * @param replicationFactor replication of topics fhirstream creates; -1 uses the broker's default
 * @param compact whether resource topics are compacted (keep the latest state of each resource)
 * @param createTopics whether to create missing topics at start
 * @param deadLetterTopic where events that cannot be handled go, with the reason in headers
 * @param cursorTopic the compacted topic holding capture cursors
 * @param client settings passed to every Kafka client
 */
public record HubConfig(
    String topicPrefix,
    int partitions,
    short replicationFactor,
    boolean compact,
    boolean createTopics,
    String deadLetterTopic,
    String cursorTopic,
    Map<String, String> client,
    Map<String, String> producer,
    Map<String, String> consumer) {

  /** Keys under these prefixes go to the Kafka clients untouched. */
  public static final List<String> PASSTHROUGH_PREFIXES = List.of("kafka.");

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Event hub: Kafka protocol")
          .define(
              "hub.topic-prefix",
              ConfigType.STRING,
              "fhir.",
              "Resource topics are this prefix plus the resource type, e.g. fhir.Patient.")
          .define(
              "hub.partitions",
              ConfigType.INT,
              "3",
              Validators.atLeast(1),
              "Partitions of the topics fhirstream creates. Events are keyed by resource id, so"
                  + " each resource's changes stay in order on one partition.")
          .define(
              "hub.replication-factor",
              ConfigType.INT,
              "-1",
              "Replication factor of the topics fhirstream creates; -1 takes the broker's default.")
          .define(
              "hub.compact",
              ConfigType.BOOLEAN,
              "true",
              "Create resource topics with cleanup.policy=compact, so a topic holds the latest"
                  + " state of each resource (and deletions as tombstones).")
          .define(
              "hub.create-topics",
              ConfigType.BOOLEAN,
              "true",
              "Create missing topics at start. Turn off where topics are managed elsewhere.")
          .define(
              "hub.dead-letter-topic",
              ConfigType.STRING,
              "fhirstream.dead-letters",
              Validators.NON_EMPTY,
              "Events that cannot be handled go here, with the reason and origin in headers.")
          .define(
              "hub.cursor-topic",
              ConfigType.STRING,
              "fhirstream.cursors",
              Validators.NON_EMPTY,
              "Compacted topic holding how far capture got, so an instance keeps no local state.")
          .build();

  /** Reads the validated settings and the {@code kafka.*} passthrough. */
  public static HubConfig from(Config config) {
    Map<String, String> all = config.withPrefix("kafka.");
    Map<String, String> client = new java.util.LinkedHashMap<>();
    Map<String, String> producer = new java.util.LinkedHashMap<>();
    Map<String, String> consumer = new java.util.LinkedHashMap<>();
    all.forEach(
        (key, value) -> {
          if (key.startsWith("producer.")) {
            producer.put(key.substring("producer.".length()), value);
          } else if (key.startsWith("consumer.")) {
            consumer.put(key.substring("consumer.".length()), value);
          } else {
            client.put(key, value);
          }
        });
    return new HubConfig(
        config.getString("hub.topic-prefix"),
        config.getInt("hub.partitions"),
        (short) config.getInt("hub.replication-factor"),
        config.getBoolean("hub.compact"),
        config.getBoolean("hub.create-topics"),
        config.getString("hub.dead-letter-topic"),
        config.getString("hub.cursor-topic"),
        Map.copyOf(client),
        Map.copyOf(producer),
        Map.copyOf(consumer));
  }

  /** The topic of a resource type. */
  public String topic(String resourceType) {
    return topicPrefix + resourceType;
  }

  /** The resource type of a topic, or null if it is not one of ours. */
  public String resourceType(String topic) {
    return topic.startsWith(topicPrefix) ? topic.substring(topicPrefix.length()) : null;
  }

  /** Whether a bootstrap server is configured; without one the app starts an embedded broker. */
  public boolean hasBootstrapServers() {
    String servers = client.get("bootstrap.servers");
    return servers != null && !servers.isBlank();
  }

  /** A copy with the bootstrap servers set (used when the app starts the embedded broker). */
  public HubConfig withBootstrapServers(String servers) {
    Map<String, String> updated = new java.util.LinkedHashMap<>(client);
    updated.put("bootstrap.servers", servers);
    return new HubConfig(
        topicPrefix,
        partitions,
        replicationFactor,
        compact,
        createTopics,
        deadLetterTopic,
        cursorTopic,
        Map.copyOf(updated),
        producer,
        consumer);
  }

  @Override
  public String toString() {
    // Client settings may hold SASL passwords or connection strings: never print them.
    return "HubConfig[topicPrefix=" + topicPrefix + ", partitions=" + partitions + "]";
  }
}

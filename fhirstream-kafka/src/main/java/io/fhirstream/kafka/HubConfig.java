package io.fhirstream.kafka;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * @param producer settings passed to producers only
 * @param consumer settings passed to consumers only
 * @param eventHubs the Event Hubs namespace and how fhirstream signs in to it, when configured
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
    Map<String, String> consumer,
    Optional<EventHubs> eventHubs) {

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
              "Create resource topics and the cursor topic with cleanup.policy=compact, so a topic"
                  + " holds the latest state of each resource (deletions as tombstones). false"
                  + " creates them without a cleanup.policy (time retention): then the cursor"
                  + " topic's retention must outlast any outage of the source.")
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
              "Topic holding how far capture got (compacted with hub.compact), so an instance"
                  + " keeps no local state.")
          .define(
              EventHubs.CONNECTION_STRING,
              ConfigType.PASSWORD,
              "",
              "Azure Event Hubs: a namespace's connection string"
                  + " (Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=…;"
                  + "SharedAccessKey=…). It sets the bootstrap server NAMESPACE.servicebus.windows.net:9093,"
                  + " SASL_SSL and SASL PLAIN; kafka.* settings given too win. Prefer the"
                  + " environment variable to a file.")
          .define(
              EventHubs.CONNECTION_STRING_FILE,
              ConfigType.STRING,
              "",
              "A file holding the Event Hubs connection string (e.g. a mounted Kubernetes secret);"
                  + " an alternative to hub.eventhubs.connection-string.")
          .define(
              EventHubs.AUTH,
              ConfigType.STRING,
              "auto",
              Validators.oneOf(List.of("auto", "connection-string", "entra-id")),
              "Azure Event Hubs sign-in. auto: with a connection string when"
                  + " hub.eventhubs.connection-string(-file) is set, else not Event Hubs."
                  + " connection-string: also reads the EVENTHUB_CONNECTION_STRING environment"
                  + " variable, and requires a connection string. entra-id: OAUTHBEARER with tokens"
                  + " from azure-identity's DefaultAzureCredential (needs hub.eventhubs.namespace).")
          .define(
              EventHubs.NAMESPACE,
              ConfigType.STRING,
              "",
              "The Event Hubs namespace for hub.eventhubs.auth=entra-id: NAME or"
                  + " NAME.servicebus.windows.net.")
          .build();

  /**
   * Reads the validated settings and the {@code kafka.*} passthrough; the Event Hubs connection
   * string may come from the {@code EVENTHUB_CONNECTION_STRING} environment variable.
   */
  public static HubConfig from(Config config) {
    return from(config, System.getenv());
  }

  /**
   * Reads the validated settings. Client settings, later winning: what Event Hubs needs (when
   * configured), then {@code kafka.*}; producers and consumers then their own {@code
   * kafka.producer.*} and {@code kafka.consumer.*}.
   *
   * @param environment where {@code EVENTHUB_CONNECTION_STRING} is looked up
   */
  public static HubConfig from(Config config, Map<String, String> environment) {
    Map<String, String> all = config.withPrefix("kafka.");
    Map<String, String> client = new java.util.LinkedHashMap<>();
    Map<String, String> producer = new java.util.LinkedHashMap<>();
    Map<String, String> consumer = new java.util.LinkedHashMap<>();
    Optional<EventHubs> eventHubs = EventHubs.from(config, environment, all);
    eventHubs.ifPresent(
        hubs -> {
          client.putAll(hubs.clientSettings());
          producer.putAll(hubs.producerSettings());
        });
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
        Map.copyOf(consumer),
        eventHubs);
  }

  /** The topic of a resource type. */
  public String topic(String resourceType) {
    return topicPrefix + resourceType;
  }

  /** Every resource topic: the prefix and a resource type's name, nothing else. */
  public java.util.regex.Pattern resourceTopics() {
    return java.util.regex.Pattern.compile(
        java.util.regex.Pattern.quote(topicPrefix) + "[A-Z][A-Za-z]{1,63}");
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
        consumer,
        eventHubs);
  }

  /**
   * The settings to check when the hub refuses the credentials, for error messages: the user's
   * {@code kafka.sasl.jaas.config} if given, else the Event Hubs setting in use.
   */
  public String credentialSettings() {
    return eventHubs
        .filter(hubs -> !hubs.credentialsOverridden())
        .map(EventHubs::credentialSettings)
        .orElse("kafka.sasl.jaas.config (with kafka.sasl.mechanism and kafka.security.protocol)");
  }

  @Override
  public String toString() {
    // Client settings may hold SASL passwords or connection strings: never print them.
    return "HubConfig[topicPrefix=" + topicPrefix + ", partitions=" + partitions + "]";
  }
}

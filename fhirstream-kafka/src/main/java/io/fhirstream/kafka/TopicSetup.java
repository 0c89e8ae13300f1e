package io.fhirstream.kafka;

import io.fhirstream.api.PipelineException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the resource topics, the dead-letter topic and the cursor topic exist before anything
 * is published. Also the first contact with the hub, so an unreachable broker, refused credentials
 * or an untrusted certificate fail here with a clear message rather than as a hang inside a
 * producer.
 *
 * <p>Where topics cannot be created (Event Hubs namespaces without the Manage claim, clusters that
 * forbid it, tiers without compaction), the failure lists exactly which topics to create, with
 * their partitions and cleanup policy, and how.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
  private static final int CONNECT_TIMEOUT_SECONDS = 30;

  private TopicSetup() {}

  /** Creates what is missing (when allowed) and checks the rest exists. */
  public static void ensure(HubConfig hub, Collection<String> resourceTypes) {
    ensureTopics(hub, wanted(hub, resourceTypes));
  }

  /**
   * Creates the given topics where missing (when {@code hub.create-topics} allows), with the same
   * checks and messages as the resource topics: for other roles' topics, e.g. the analytics role's
   * outputs.
   */
  public static void ensureTopics(HubConfig hub, List<NewTopic> wanted) {
    HubSecrets redaction = HubSecrets.of(hub);
    try (Admin admin = admin(hub, redaction)) {
      Set<String> existing = listTopics(admin, hub, redaction);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!hub.createTopics()) {
        throw new PipelineException(
            "topics "
                + missing.stream().map(NewTopic::name).toList()
                + " do not exist and hub.create-topics is false. "
                + howToCreate(hub, missing)
                + ", or set hub.create-topics=true");
      }
      create(admin, hub, missing, redaction);
    }
  }

  /**
   * The topics fhirstream needs: one per resource type, the dead-letter topic and the cursor topic.
   * With {@code hub.compact=false} none carries a {@code cleanup.policy}, so the broker's (or the
   * event hub's) default time-based retention applies.
   */
  static List<NewTopic> wanted(HubConfig hub, Collection<String> resourceTypes) {
    Optional<Short> replication =
        hub.replicationFactor() < 0 ? Optional.empty() : Optional.of(hub.replicationFactor());
    Map<String, String> compacted =
        hub.compact()
            ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
            : Map.of();
    List<NewTopic> wanted = new ArrayList<>();
    for (String type : resourceTypes) {
      wanted.add(
          new NewTopic(hub.topic(type), Optional.of(hub.partitions()), replication)
              .configs(compacted));
    }
    wanted.add(new NewTopic(hub.deadLetterTopic(), Optional.of(1), replication));
    wanted.add(new NewTopic(hub.cursorTopic(), Optional.of(1), replication).configs(compacted));
    return wanted;
  }

  /** Says which topics to create and with which tool, e.g. the Azure CLI for Event Hubs. */
  static String howToCreate(HubConfig hub, List<NewTopic> topics) {
    StringBuilder out = new StringBuilder("Create ");
    for (int i = 0; i < topics.size(); i++) {
      NewTopic topic = topics.get(i);
      out.append(i == 0 ? "" : ", ")
          .append(topic.name())
          .append(" (")
          .append(topic.numPartitions())
          .append(topic.numPartitions() == 1 ? " partition" : " partitions")
          .append(compacted(topic) ? ", compacted)" : ")");
    }
    boolean anyCompacted = topics.stream().anyMatch(TopicSetup::compacted);
    if (hub.eventHubs().isPresent()) {
      String namespace = hub.eventHubs().get().namespaceHost();
      out.append(" as event hubs in namespace ")
          .append(namespace)
          .append(
              ", in the Azure portal or with: az eventhubs eventhub create --resource-group"
                  + " RESOURCE_GROUP --namespace-name ")
          .append(
              namespace,
              0,
              namespace.indexOf('.') < 0 ? namespace.length() : namespace.indexOf('.'))
          .append(" --name TOPIC --partition-count N")
          .append(anyCompacted ? " [--cleanup-policy Compact]" : "")
          .append(
              anyCompacted
                  ? " (compaction needs the Standard tier or higher; without it set"
                      + " hub.compact=false)"
                  : "");
    } else {
      out.append(", e.g. kafka-topics.sh --bootstrap-server ")
          .append(hub.client().getOrDefault("bootstrap.servers", "HOST:PORT"))
          .append(" --create --topic TOPIC --partitions N")
          .append(anyCompacted ? " [--config cleanup.policy=compact]" : "");
    }
    return out.toString();
  }

  private static boolean compacted(NewTopic topic) {
    return topic.configs() != null
        && TopicConfig.CLEANUP_POLICY_COMPACT.equals(
            topic.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
  }

  /**
   * The resource types that have a topic on the hub, sorted: what a sink alone resolves {@code *}
   * to at start-up (it then also subscribes to topics created later).
   *
   * @throws io.fhirstream.api.PipelineException when the hub cannot be reached, naming it
   */
  public static List<String> resourceTypesOnHub(HubConfig hub) {
    HubSecrets redaction = HubSecrets.of(hub);
    try (Admin admin = admin(hub, redaction)) {
      java.util.regex.Pattern topics = hub.resourceTopics();
      return listTopics(admin, hub, redaction).stream()
          .filter(topic -> topics.matcher(topic).matches())
          .map(hub::resourceType)
          .sorted()
          .toList();
    }
  }

  private static Admin admin(HubConfig hub, HubSecrets redaction) {
    try {
      return KafkaClients.admin(hub);
    } catch (KafkaException e) {
      throw new PipelineException(
          "cannot create a Kafka client: "
              + redaction.apply(causes(e))
              + "; check the kafka.* settings ("
              + hub.credentialSettings()
              + ")");
    }
  }

  private static Set<String> listTopics(Admin admin, HubConfig hub, HubSecrets redaction) {
    try {
      // The request itself gives up in time too: closing an admin waits for what it still runs.
      int timeout = connectTimeoutMillis(hub);
      return admin
          .listTopics(new ListTopicsOptions().timeoutMs(timeout))
          .names()
          .get(timeout + 5_000L, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(hub);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(hub);
      }
      if (cause instanceof SslAuthenticationException) {
        throw new PipelineException(
            "the TLS handshake with Kafka at "
                + servers(hub)
                + " failed ("
                + redaction.apply(causes(cause))
                + "); check kafka.ssl.truststore.location and kafka.ssl.truststore.type (the"
                + " broker's certificate must be trusted) and kafka.security.protocol");
      }
      if (cause instanceof AuthenticationException) {
        throw new PipelineException(
            "Kafka at "
                + servers(hub)
                + " refused the credentials ("
                + redaction.apply(cause.getMessage())
                + "); check "
                + hub.credentialSettings());
      }
      throw new PipelineException(
          "Kafka refused to list topics: "
              + redaction.apply(causes(cause))
              + "; check kafka.bootstrap.servers and "
              + hub.credentialSettings());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while connecting to Kafka");
    }
  }

  /**
   * How long the first contact may take: {@value #CONNECT_TIMEOUT_SECONDS} s, or the client's own
   * {@code default.api.timeout.ms} when set (as tests do, to fail fast).
   */
  static int connectTimeoutMillis(HubConfig hub) {
    String configured = hub.client().get("default.api.timeout.ms");
    try {
      return configured == null
          ? CONNECT_TIMEOUT_SECONDS * 1000
          : Integer.parseInt(configured.trim());
    } catch (NumberFormatException e) {
      return CONNECT_TIMEOUT_SECONDS * 1000;
    }
  }

  private static PipelineException unreachable(HubConfig hub) {
    int millis = connectTimeoutMillis(hub);
    return new PipelineException(
        "cannot reach Kafka at "
            + servers(hub)
            + " within "
            + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms")
            + "; check kafka.bootstrap.servers, that the broker is running, and that"
            + " kafka.security.protocol matches the broker's listener (SASL_SSL for Event Hubs)");
  }

  private static String servers(HubConfig hub) {
    return hub.client().getOrDefault("bootstrap.servers", "?");
  }

  private static void create(
      Admin admin, HubConfig hub, List<NewTopic> missing, HubSecrets redaction) {
    Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
    Map<NewTopic, String> failed = new LinkedHashMap<>();
    List<String> created = new ArrayList<>();
    for (NewTopic topic : missing) {
      try {
        results.get(topic.name()).get(60, TimeUnit.SECONDS);
        created.add(topic.name());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          failed.put(
              topic,
              e.getCause().getClass().getSimpleName()
                  + ": "
                  + redaction.apply(e.getCause().getMessage()));
        }
      } catch (TimeoutException e) {
        failed.put(topic, "timed out after 60 s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PipelineException("interrupted while creating topics");
      }
    }
    if (!created.isEmpty()) {
      LOG.info("created topics {}", created);
    }
    if (!failed.isEmpty()) {
      throw new PipelineException(
          "cannot create topics "
              + failed.keySet().stream().map(NewTopic::name).toList()
              + " ("
              + String.join("; ", new java.util.LinkedHashSet<>(failed.values()))
              + "). "
              + howToCreate(hub, List.copyOf(failed.keySet()))
              + ", then set hub.create-topics=false");
    }
  }

  /** The messages of an exception and its causes, for failures whose cause is the useful part. */
  private static String causes(Throwable failure) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = failure; t != null && out.length() < 600; t = t.getCause()) {
      if (t.getMessage() != null && !out.toString().contains(t.getMessage())) {
        out.append(out.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return out.length() == 0 ? failure.getClass().getSimpleName() : out.toString();
  }
}

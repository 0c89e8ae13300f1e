package io.fhirstream.runtime.analytics;

import io.fhirstream.api.PipelineException;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the hub must offer the analytics role, checked before Kafka Streams starts, so that a hub
 * that cannot host it fails at start-up with what to do rather than later inside a stream thread:
 * transactions (for exactly_once_v2), and internal topics Kafka Streams creates itself (two
 * compacted changelogs and a repartition topic).
 */
final class HubCapabilities {
  private static final Logger LOG = LoggerFactory.getLogger(HubCapabilities.class);

  private HubCapabilities() {}

  /**
   * Whether the hub accepts a transactional producer: initialises one, begins and aborts an empty
   * transaction.
   */
  static boolean transactionsSupported(HubConfig hub, String applicationId) {
    Map<String, Object> props = new HashMap<>(hub.client());
    props.putAll(hub.producer());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-transaction-check");
    props.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        applicationId + "-transaction-check-" + UUID.randomUUID());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.abortTransaction();
      return true;
    } catch (RuntimeException e) {
      LOG.info(
          "the hub refused a transactional producer ({}): it does not support transactions",
          e.getClass().getSimpleName());
      return false;
    }
  }

  /**
   * Asks the hub to validate (not create) the internal topics Kafka Streams will create, with the
   * cleanup policy each needs.
   *
   * @throws PipelineException saying which tier or right is missing and how to fix it
   */
  static void checkInternalTopics(HubConfig hub, String applicationId) {
    Optional<Short> replication =
        hub.replicationFactor() < 0 ? Optional.empty() : Optional.of(hub.replicationFactor());
    Map<String, String> compacted =
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    List<NewTopic> internal =
        List.of(
            new NewTopic(
                    applicationId + "-resources-changelog",
                    Optional.of(hub.partitions()),
                    replication)
                .configs(compacted),
            new NewTopic(
                    applicationId + "-groups-changelog", Optional.of(hub.partitions()), replication)
                .configs(compacted),
            new NewTopic(
                    applicationId + "-changed-results-changelog",
                    Optional.of(hub.partitions()),
                    replication)
                .configs(compacted),
            new NewTopic(
                applicationId + "-deltas-repartition", Optional.of(hub.partitions()), replication));
    List<String> failures = new ArrayList<>();
    try (Admin admin = KafkaClients.admin(hub)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          internal.stream().filter(topic -> !existing.contains(topic.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      var results =
          admin.createTopics(missing, new CreateTopicsOptions().validateOnly(true)).values();
      for (NewTopic topic : missing) {
        try {
          results.get(topic.name()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            failures.add(topic.name() + " (" + e.getCause().getClass().getSimpleName() + ")");
          }
        }
      }
    } catch (java.util.concurrent.TimeoutException e) {
      failures.add("the hub did not answer within 30 s");
    } catch (ExecutionException e) {
      failures.add("listing topics failed (" + e.getCause().getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while checking the hub for the analytics role");
    }
    if (!failures.isEmpty()) {
      throw new PipelineException(
          "the hub cannot host the analytics role's internal topics: "
              + String.join(", ", failures)
              + ". Kafka Streams creates them itself, two of them compacted. "
              + advice(hub));
    }
  }

  /** What to do when the hub lacks something the analytics role needs. */
  static String advice(HubConfig hub) {
    if (hub.eventHubs().isPresent()) {
      return "On Azure Event Hubs, Kafka Streams needs the Premium or Dedicated tier (in preview"
          + " there; Basic has no compaction and Standard does not support Kafka Streams), and a"
          + " connection string or Entra ID role with Manage rights on namespace "
          + hub.eventHubs().get().namespaceHost()
          + " so it can create its topics; see docs/analytics/aggregates.md. Or run the"
          + " analytics role against another Kafka, or without it (--roles source,sink).";
    }
    return "Give the analytics role's principal the right to create topics (and compacted ones)"
        + " with names starting with analytics.application-id, or run without the analytics"
        + " role (--roles source,sink).";
  }
}

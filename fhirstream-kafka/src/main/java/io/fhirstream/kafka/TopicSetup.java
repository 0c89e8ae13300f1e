package io.fhirstream.kafka;

import io.fhirstream.api.PipelineException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the resource topics, the dead-letter topic and the cursor topic exist before anything
 * is published. Also the first contact with the hub, so an unreachable broker fails here with a
 * clear message rather than as a hang inside a producer.
 */
public final class TopicSetup {
  private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

  private TopicSetup() {}

  /** Creates what is missing (when allowed) and checks the rest exists. */
  public static void ensure(HubConfig hub, Collection<String> resourceTypes) {
    List<NewTopic> wanted = new ArrayList<>();
    Optional<Short> replication =
        hub.replicationFactor() < 0 ? Optional.empty() : Optional.of(hub.replicationFactor());
    for (String type : resourceTypes) {
      wanted.add(
          new NewTopic(hub.topic(type), Optional.of(hub.partitions()), replication)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      hub.compact()
                          ? TopicConfig.CLEANUP_POLICY_COMPACT
                          : TopicConfig.CLEANUP_POLICY_DELETE)));
    }
    wanted.add(new NewTopic(hub.deadLetterTopic(), Optional.of(1), replication));
    wanted.add(
        new NewTopic(hub.cursorTopic(), Optional.of(1), replication)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    try (Admin admin = KafkaClients.admin(hub)) {
      Set<String> existing = listTopics(admin, hub);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) {
        return;
      }
      if (!hub.createTopics()) {
        throw new PipelineException(
            "topics "
                + missing.stream().map(NewTopic::name).toList()
                + " do not exist and hub.create-topics is false; create them (resource topics"
                + " compacted, keyed by resource id) or set hub.create-topics=true");
      }
      create(admin, missing);
    }
  }

  private static Set<String> listTopics(Admin admin, HubConfig hub) {
    try {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw unreachable(hub);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(hub);
      }
      throw new PipelineException(
          "Kafka refused to list topics: "
              + e.getCause().getMessage()
              + "; check kafka.bootstrap.servers and the security settings");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while connecting to Kafka");
    }
  }

  private static PipelineException unreachable(HubConfig hub) {
    return new PipelineException(
        "cannot reach Kafka at "
            + hub.client().getOrDefault("bootstrap.servers", "?")
            + "; check kafka.bootstrap.servers and that the broker is running");
  }

  private static void create(Admin admin, List<NewTopic> missing) {
    try {
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new PipelineException(
            "cannot create topics "
                + missing.stream().map(NewTopic::name).toList()
                + ": "
                + e.getCause().getMessage()
                + "; create them yourself and set hub.create-topics=false");
      }
    } catch (TimeoutException e) {
      throw new PipelineException("creating topics timed out; check the broker's health");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while creating topics");
    }
  }
}

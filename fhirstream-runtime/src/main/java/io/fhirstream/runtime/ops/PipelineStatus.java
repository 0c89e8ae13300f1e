package io.fhirstream.runtime.ops;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.publish.KafkaCursorStore;
import io.fhirstream.runtime.config.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a pipeline stands, running or stopped, read from where it keeps its state: the capture
 * cursors from the cursor topic, the sink group's committed offsets against the topics' ends, the
 * dead-letter topic's size, and the store's counts. Needs no running instance.
 *
 * @param cursors each captured type's position, by type
 * @param lag the sink group's lag per partition of the resource topics
 * @param deadLetters records in the dead-letter topic
 * @param store documents per type in the store, or empty when the store cannot be read
 * @param storeProblem why the store could not be read, or null
 */
public record PipelineStatus(
    List<Cursor> cursors,
    List<PartitionLag> lag,
    long deadLetters,
    Map<String, StoreCount> store,
    String storeProblem) {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * A captured type's cursor.
   *
   * @param source the origin it captures (the FHIR base URL)
   * @param position every change before it is on the hub; null while the first load runs
   * @param firstLoadStarted when an unfinished first load began, or null
   */
  public record Cursor(String source, String type, Instant position, Instant firstLoadStarted) {
    /** How far the cursor is behind {@code now}, or null without one. */
    public Duration age(Instant now) {
      return position == null ? null : Duration.between(position, now);
    }
  }

  /** The sink group's committed offset and the end of one partition. */
  public record PartitionLag(String topic, int partition, long committed, long end) {
    public long lag() {
      return Math.max(0, end - Math.max(0, committed));
    }
  }

  /** A type's documents in the store. */
  public record StoreCount(long current, long deleted) {}

  public long totalLag() {
    return lag.stream().mapToLong(PartitionLag::lag).sum();
  }

  /**
   * Reads the status.
   *
   * @throws PipelineException when Kafka cannot be reached
   */
  public static PipelineStatus read(Settings settings) {
    HubConfig hub = settings.hub();
    List<Cursor> cursors = cursors(hub);
    List<PartitionLag> lag;
    long deadLetters;
    try (Admin admin = KafkaClients.admin(hub)) {
      lag = lag(admin, hub, settings.runtime().groupId());
      deadLetters = size(admin, hub.deadLetterTopic());
    } catch (ExecutionException | TimeoutException e) {
      throw new PipelineException(
          "cannot read the consumer group and topics from Kafka at "
              + hub.client().get("bootstrap.servers")
              + " ("
              + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName()
              + "); check kafka.bootstrap.servers and the credentials",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while reading the status");
    }
    Map<String, StoreCount> store = new TreeMap<>();
    String storeProblem = null;
    if (settings.storeConfig() != null) {
      try (DocumentReader reader = settings.storeFactory().createReader(settings.storeConfig())) {
        for (String type : reader.resourceTypes()) {
          store.put(type, new StoreCount(reader.count(type), reader.countDeleted(type)));
        }
      } catch (RuntimeException e) {
        storeProblem = e.getMessage();
      }
    }
    return new PipelineStatus(cursors, lag, deadLetters, store, storeProblem);
  }

  /** Cursor keys are {@code source|Type}; an unfinished first load adds {@code …#first-load}. */
  private static List<Cursor> cursors(HubConfig hub) {
    Map<String, String> positions;
    try {
      positions = new KafkaCursorStore(hub, null).positions();
    } catch (PipelineException e) {
      return List.of();
    }
    Map<String, Instant[]> byKey = new TreeMap<>();
    positions.forEach(
        (key, value) -> {
          boolean firstLoad = key.endsWith("#first-load");
          String base = firstLoad ? key.substring(0, key.length() - "#first-load".length()) : key;
          if (base.lastIndexOf('|') < 0) {
            return;
          }
          Instant[] both = byKey.computeIfAbsent(base, k -> new Instant[2]);
          both[firstLoad ? 1 : 0] = instant(firstLoad ? value.split("\\|", 2)[0] : value);
        });
    List<Cursor> cursors = new ArrayList<>();
    byKey.forEach(
        (key, both) -> {
          int bar = key.lastIndexOf('|');
          cursors.add(
              new Cursor(
                  key.substring(0, bar),
                  key.substring(bar + 1),
                  both[0],
                  both[0] == null ? both[1] : null));
        });
    cursors.sort(Comparator.comparing(Cursor::type).thenComparing(Cursor::source));
    return cursors;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<PartitionLag> lag(Admin admin, HubConfig hub, String groupId)
      throws ExecutionException, InterruptedException, TimeoutException {
    Pattern resources = hub.resourceTopics();
    Set<String> topics =
        admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
            .filter(topic -> resources.matcher(topic).matches())
            .collect(java.util.stream.Collectors.toSet());
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(groupId)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (var description :
        admin
            .describeTopics(topics)
            .allTopicNames()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .values()) {
      description
          .partitions()
          .forEach(
              p ->
                  request.put(
                      new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(request).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    List<PartitionLag> lag = new ArrayList<>();
    ends.forEach(
        (partition, end) -> {
          OffsetAndMetadata done = committed.get(partition);
          lag.add(
              new PartitionLag(
                  partition.topic(),
                  partition.partition(),
                  done == null ? -1 : done.offset(),
                  end.offset()));
        });
    lag.sort(Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition));
    return lag;
  }

  /** Records in a topic now: its end offsets minus its start offsets, over all partitions. */
  private static long size(Admin admin, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (!admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic)) {
      return 0;
    }
    int partitions =
        admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long start =
        admin
            .listOffsets(earliest)
            .all()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .values()
            .stream()
            .mapToLong(ListOffsetsResultInfo::offset)
            .sum();
    long end =
        admin.listOffsets(latest).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).values().stream()
            .mapToLong(ListOffsetsResultInfo::offset)
            .sum();
    return end - start;
  }
}

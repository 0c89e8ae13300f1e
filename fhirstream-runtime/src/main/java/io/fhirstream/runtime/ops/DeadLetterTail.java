package io.fhirstream.runtime.ops;

import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.ops.DashboardSource.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * The latest records of the dead-letter topic, described by their {@code fhirstream.dlq.*} headers
 * only (reason, origin topic) and their time: the payloads stay in the topic. Reads without a
 * consumer group, so it moves no one's offsets. Used from one thread.
 */
final class DeadLetterTail implements AutoCloseable {
  static final int KEEP = 20;
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final HubConfig hub;
  private Consumer<String, byte[]> consumer;

  DeadLetterTail(HubConfig hub) {
    this.hub = hub;
  }

  /** The newest dead letters first, at most {@link #KEEP}; empty when the topic cannot be read. */
  List<DeadLetter> latest() {
    try {
      if (consumer == null) {
        consumer = KafkaClients.consumer(hub, null, "fhirstream-dashboard");
      }
      List<TopicPartition> partitions =
          consumer.partitionsFor(hub.deadLetterTopic(), WAIT).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return List.of();
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, WAIT);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - KEEP));
      }
      List<DeadLetter> found = new ArrayList<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          found.add(describe(record));
        }
      }
      found.sort(Comparator.comparing(DeadLetter::time).reversed());
      return found.size() > KEEP ? List.copyOf(found.subList(0, KEEP)) : List.copyOf(found);
    } catch (KafkaException e) {
      close();
      return List.of();
    }
  }

  private static DeadLetter describe(ConsumerRecord<String, byte[]> record) {
    return new DeadLetter(
        Instant.ofEpochMilli(record.timestamp()),
        header(record, DeadLetters.TOPIC),
        String.valueOf(header(record, DeadLetters.REASON)));
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(1));
      consumer = null;
    }
  }
}

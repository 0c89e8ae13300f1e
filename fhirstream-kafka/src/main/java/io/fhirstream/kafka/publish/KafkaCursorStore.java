package io.fhirstream.kafka.publish;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.KafkaFailures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Capture cursors in a compacted Kafka topic, the way Kafka Connect keeps source offsets: the last
 * record of a key is its position. Loaded once at start by reading the topic to its end.
 */
public final class KafkaCursorStore implements CursorStore {
  private final HubConfig hub;
  private final Producer<String, byte[]> producer;
  private final Map<String, String> positions = new HashMap<>();
  private boolean loaded;

  /**
   * @param producer writes the cursors; null for a store that is only read ({@link #positions})
   */
  public KafkaCursorStore(HubConfig hub, Producer<String, byte[]> producer) {
    this.hub = hub;
    this.producer = producer;
  }

  @Override
  public synchronized Optional<String> load(String key) {
    if (!loaded) {
      readAll();
      loaded = true;
    }
    return Optional.ofNullable(positions.get(key));
  }

  /** Every key's committed position, read from the topic on first use (for status reports). */
  public synchronized Map<String, String> positions() {
    if (!loaded) {
      readAll();
      loaded = true;
    }
    return Map.copyOf(positions);
  }

  @Override
  public void commit(String key, String position) {
    commitAll(Map.of(key, position));
  }

  /** Sends every position, then waits for all: one round trip to the broker, not one each. */
  @Override
  public synchronized void commitAll(Map<String, String> committed) {
    try {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>(committed.size());
      committed.forEach(
          (key, position) ->
              sent.add(
                  producer.send(
                      new ProducerRecord<>(
                          hub.cursorTopic(), key, position.getBytes(StandardCharsets.UTF_8)))));
      for (java.util.concurrent.Future<?> future : sent) {
        future.get(2, TimeUnit.MINUTES);
      }
      positions.putAll(committed);
    } catch (ExecutionException e) {
      throw KafkaFailures.classify("committing the capture cursor", e.getCause());
    } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
      // send() itself throws when the broker is away longer than max.block.ms.
      throw KafkaFailures.classify("committing the capture cursor", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted");
    }
  }

  private void readAll() {
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.consumer(hub, null, "fhirstream-cursor-reader")) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(hub.cursorTopic(), Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) {
            positions.remove(record.key());
          } else {
            positions.put(record.key(), new String(record.value(), StandardCharsets.UTF_8));
          }
        }
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new PipelineException(
          "cannot read capture cursors from topic " + hub.cursorTopic() + ": " + e.getMessage(), e);
    }
  }
}

package io.fhirstream.kafka.feed;

import io.fhirstream.api.hub.HubFeed;
import io.fhirstream.kafka.KafkaFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HubFeed} over a Kafka consumer in its own group, which never commits on its own: offsets
 * move in {@link #commit()} only, which the source calls after what the records cover is published
 * and acknowledged. A partition taken away by a rebalance before its commit is read again by its
 * new owner.
 */
public final class KafkaHubFeed implements HubFeed {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaHubFeed.class);
  private static final byte[] EMPTY = new byte[0];

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final Map<TopicPartition, OffsetAndMetadata> read = new HashMap<>();

  /**
   * @param consumer a consumer with a group id and auto-commit off; closed by {@link #close()}
   */
  public KafkaHubFeed(Consumer<String, byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(read::remove); // their new owner reads them from the last commit
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
  }

  @Override
  public List<Entry> poll(Duration timeout) {
    try {
      List<Entry> entries = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
        read.put(
            new TopicPartition(record.topic(), record.partition()),
            new OffsetAndMetadata(record.offset() + 1));
        entries.add(
            new Entry(
                record.value() == null ? EMPTY : record.value(),
                record.topic() + "-" + record.partition() + "@" + record.offset()));
      }
      return entries;
    } catch (KafkaException e) {
      throw KafkaFailures.classify("reading the feed " + topic, e);
    }
  }

  @Override
  public void commit() {
    if (read.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(read);
    } catch (CommitFailedException e) {
      // A rebalance took the partitions: the new owner re-reads them; the source is idempotent.
      LOG.info("feed {}: commit lost to a rebalance; those records will be read again", topic);
    } catch (KafkaException e) {
      throw KafkaFailures.classify("committing the feed " + topic, e);
    }
    read.clear();
  }

  @Override
  public void close() {
    consumer.close();
  }
}

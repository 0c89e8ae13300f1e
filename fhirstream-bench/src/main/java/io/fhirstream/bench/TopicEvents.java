package io.fhirstream.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the events on a topic, read from outside the pipeline: every record, and the distinct
 * resource versions among them (the CloudEvents id, {@code Type/id/_history/version}). Their
 * difference is what a consumer of the hub sees twice.
 */
final class TopicEvents {
  private TopicEvents() {}

  /** Records and distinct resource versions on a topic. */
  record Count(long records, long distinct) {
    long duplicates() {
      return records - distinct;
    }
  }

  static Count count(String bootstrapServers, String topic) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long records = 0;
      Set<String> versions = new HashSet<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          records++;
          Header id = record.headers().lastHeader("ce_id");
          versions.add(id == null ? "" : new String(id.value(), StandardCharsets.UTF_8));
        }
      }
      return new Count(records, versions.size());
    }
  }
}

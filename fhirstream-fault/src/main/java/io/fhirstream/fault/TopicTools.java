package io.fhirstream.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for the harness to read, re-deliver and inject records behind the pipeline.
 */
final class TopicTools implements AutoCloseable {
  private final String bootstrap;
  private final Admin admin;

  TopicTools(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    this.admin = Admin.create(props);
  }

  /** Every record of a topic, partition by partition in offset order. */
  List<ConsumerRecord<String, byte[]>> readAll(String topic) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    props.put("max.partition.fetch.bytes", Integer.toString(64 << 20));
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = partitions(topic);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** Produces records and waits for every acknowledgement. */
  void produce(List<ProducerRecord<String, byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    props.put("max.request.size", Integer.toString(64 << 20));
    props.put("acks", "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ProducerRecord<String, byte[]> record : records) {
        sent.add(producer.send(record));
      }
      for (java.util.concurrent.Future<?> future : sent) {
        future.get();
      }
    }
  }

  /** Whether the group has committed up to the end of every partition of the topic. */
  boolean caughtUp(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions(topic).forEach(p -> latest.put(p, OffsetSpec.latest()));
    for (var end : admin.listOffsets(latest).all().get().entrySet()) {
      OffsetAndMetadata done = committed.get(end.getKey());
      if ((done == null ? 0 : done.offset()) < end.getValue().offset()) {
        return false;
      }
    }
    return true;
  }

  void awaitCaughtUp(String group, String topic, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(group, topic)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("group " + group + " did not catch up on " + topic);
      }
      Thread.sleep(500);
    }
  }

  /** Waits until a topic exists (a pipeline process creates its topics as it starts). */
  void awaitTopic(String topic, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!admin.listTopics().names().get().contains(topic)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " was not created");
      }
      Thread.sleep(200);
    }
  }

  void setTopicConfig(String topic, String key, String value) throws Exception {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    var op =
        new org.apache.kafka.clients.admin.AlterConfigOp(
            new org.apache.kafka.clients.admin.ConfigEntry(key, value),
            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET);
    admin.incrementalAlterConfigs(Map.of(resource, List.of(op))).all().get();
  }

  private List<TopicPartition> partitions(String topic) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  @Override
  public void close() {
    admin.close();
  }
}

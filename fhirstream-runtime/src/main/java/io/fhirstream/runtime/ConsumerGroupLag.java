package io.fhirstream.runtime;

import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Whether a consumer group has committed up to the end of the resource topics, asked of Kafka. */
final class ConsumerGroupLag {
  private final HubConfig hub;
  private final String groupId;

  ConsumerGroupLag(HubConfig hub, String groupId) {
    this.hub = hub;
    this.groupId = groupId;
  }

  /** True when every partition of the types' topics is committed to its end; false on doubt. */
  boolean caughtUp(List<String> types) throws InterruptedException {
    try (Admin admin = KafkaClients.admin(hub)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (String type : types) {
        String topic = hub.topic(type);
        int partitions =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions()
                .size();
        for (int p = 0; p < partitions; p++) {
          request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      for (var end : admin.listOffsets(request).all().get().entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        if ((done == null ? 0 : done.offset()) < end.getValue().offset()) {
          return false;
        }
      }
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }
}

package io.fhirstream.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a consumer group has committed up to the end of some topics, asked of Kafka: how the
 * runtime knows that the sink, or the analytics role, has caught up.
 */
public final class ConsumerGroupLag {
  private ConsumerGroupLag() {}

  /**
   * @param admin a client the caller keeps open across checks
   * @return true when every partition of the topics is committed to its end; false on doubt
   */
  public static boolean caughtUp(Admin admin, String groupId, Collection<String> topics)
      throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
      for (TopicDescription topic : described.values()) {
        for (int p = 0; p < topic.partitions().size(); p++) {
          request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
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

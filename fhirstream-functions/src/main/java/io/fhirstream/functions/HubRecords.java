package io.fhirstream.functions;

import io.fhirstream.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The events of one Event Hubs trigger invocation as the Kafka records the service's sink reads, so
 * the same {@link EventCodec} checks them and the same dead-letter format reports them. The host
 * delivers parallel arrays, one entry per event: the bodies, {@code PropertiesArray} (application
 * properties: fhirstream's CloudEvents headers) and {@code SystemPropertiesArray} ({@code
 * SequenceNumber}, {@code Offset}, {@code PartitionKey}, {@code EnqueuedTimeUtc}, …).
 *
 * <p>The record key is the id of the event's {@code ce_subject} ({@code Type/id}), else its
 * partition key; the offset is its sequence number. An empty body is a deletion (a Kafka tombstone
 * arrives so), as a FHIR resource is never empty.
 */
final class HubRecords {
  private HubRecords() {}

  /**
   * @param topic the event hub the events were read from
   * @param partitionContext the host's {@code PartitionContext} binding data, or null
   * @throws IllegalArgumentException when the arrays do not have one entry per event
   */
  static List<ConsumerRecord<String, byte[]>> of(
      String topic,
      List<byte[]> bodies,
      Map<String, Object>[] properties,
      Map<String, Object>[] system,
      Map<String, Object> partitionContext) {
    requireSameLength("PropertiesArray", properties, bodies.size());
    requireSameLength("SystemPropertiesArray", system, bodies.size());
    int partition = partition(partitionContext);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      Map<String, Object> props = properties == null ? Map.of() : nonNull(properties[i]);
      Map<String, Object> sys = system == null ? Map.of() : nonNull(system[i]);
      PropertyValues values = PropertyValues.of(props);
      RecordHeaders headers = new RecordHeaders();
      props.forEach((name, value) -> headers.add(name, values.bytes(value)));
      byte[] body = bodies.get(i);
      records.add(
          new ConsumerRecord<>(
              topic,
              partition,
              number(sys.get("SequenceNumber")).orElse(-1L),
              ConsumerRecord.NO_TIMESTAMP,
              TimestampType.NO_TIMESTAMP_TYPE,
              ConsumerRecord.NULL_SIZE,
              ConsumerRecord.NULL_SIZE,
              key(headers, sys),
              body == null || body.length == 0 ? null : body,
              headers,
              Optional.empty()));
    }
    return records;
  }

  private static String key(RecordHeaders headers, Map<String, Object> system) {
    var subject = headers.lastHeader(EventCodec.SUBJECT);
    if (subject != null && subject.value() != null) {
      String text = new String(subject.value(), StandardCharsets.UTF_8);
      int slash = text.indexOf('/');
      if (slash > 0) {
        return text.substring(slash + 1);
      }
    }
    Object partitionKey = system.get("PartitionKey");
    return partitionKey == null ? null : partitionKey.toString();
  }

  private static int partition(Map<String, Object> context) {
    Object id = context == null ? null : context.get("PartitionId");
    return number(id).map(Long::intValue).orElse(-1);
  }

  /** The host's JSON numbers reach Java as doubles, or as text: either way a long. */
  private static Optional<Long> number(Object value) {
    if (value instanceof Number number) {
      return Optional.of(number.longValue());
    }
    try {
      return value == null ? Optional.empty() : Optional.of(Long.parseLong(value.toString()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Object> nonNull(Map<String, Object> map) {
    return map == null ? Map.of() : map;
  }

  private static void requireSameLength(String name, Object[] array, int events) {
    if (array != null && array.length != events) {
      throw new IllegalArgumentException(
          name + " has " + array.length + " entries for " + events + " events");
    }
  }
}

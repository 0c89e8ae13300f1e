package io.fhirstream.kafka.sink;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.kafka.KafkaFailures;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records that cannot be handled to the dead-letter topic: the original key, value and
 * headers, plus the reason and the origin (topic, partition, offset) in {@code fhirstream.dlq.*}
 * headers. {@link #flush()} must return before the offsets of those records are committed.
 */
public final class DeadLetters implements DeadLetterReporter {
  public static final String REASON = "fhirstream.dlq.reason";
  public static final String TOPIC = "fhirstream.dlq.topic";
  public static final String PARTITION = "fhirstream.dlq.partition";
  public static final String OFFSET = "fhirstream.dlq.offset";

  /** Set when the value was too large for the dead-letter topic and was left out. */
  public static final String VALUE_DROPPED = "fhirstream.dlq.value-dropped";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private final java.util.Queue<ProducerRecord<String, byte[]>> tooLarge =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final Consumer<String> onDeadLetter;

  /**
   * @param onDeadLetter counts dead letters for metrics; given the reason's category (see {@link
   *     #category})
   */
  public DeadLetters(
      Producer<String, byte[]> producer, String topic, Consumer<String> onDeadLetter) {
    this.producer = producer;
    this.topic = topic;
    this.onDeadLetter = onDeadLetter;
  }

  /** A record that could not even be decoded into an event. */
  public void send(ConsumerRecord<String, byte[]> record, String reason) {
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      headers.add(header);
    }
    send(
        record.key(),
        record.value(),
        headers,
        reason,
        category(reason, false),
        record.topic(),
        record.partition(),
        record.offset());
  }

  /** An event a store rejected on its own merits. */
  @Override
  public void report(ChangeEvent event, String reason) {
    var origin = event.origin();
    send(
        event.id(),
        event.body(),
        new RecordHeaders(),
        reason,
        category(reason, true),
        origin == null ? "" : origin.topic(),
        origin == null ? -1 : origin.partition(),
        origin == null ? -1 : origin.offset());
  }

  private void send(
      String key,
      byte[] value,
      RecordHeaders headers,
      String reason,
      String category,
      String fromTopic,
      int partition,
      long offset) {
    headers.add(REASON, utf8(reason));
    headers.add(TOPIC, utf8(fromTopic));
    headers.add(PARTITION, utf8(Integer.toString(partition)));
    headers.add(OFFSET, utf8(Long.toString(offset)));
    // The reason never quotes the payload, so it is safe to log; the key is an id: debug only.
    LOG.warn("dead letter from {}-{}@{}: {}", fromTopic, partition, offset, reason);
    LOG.debug("dead letter key {}", key);
    onDeadLetter.accept(category);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
    try {
      producer.send(record, (metadata, exception) -> onSent(record, exception));
    } catch (org.apache.kafka.common.KafkaException e) {
      // send() itself throws when the broker is away longer than max.block.ms: flush reports it.
      firstFailure.compareAndSet(null, e);
    }
  }

  private void onSent(ProducerRecord<String, byte[]> record, Exception exception) {
    if (exception instanceof RecordTooLargeException && record.value() != null) {
      tooLarge.add(record);
    } else if (exception != null) {
      firstFailure.compareAndSet(null, exception);
    }
  }

  /**
   * The category of a reason, a tag value of bounded variety for metrics: {@code store-refused} for
   * an event the store rejected, else what was wrong with the record: {@code too-large} (beyond
   * {@code sink.json.*}), {@code wrong-type} (not a resource topic, or another resourceType than
   * the topic's), {@code invalid-id} (no key, or not a FHIR id, or not the resource's id), {@code
   * invalid-json}, or {@code invalid-resource} (e.g. a malformed meta).
   */
  public static String category(String reason, boolean fromStore) {
    if (fromStore) {
      return "store-refused";
    }
    String text = reason == null ? "" : reason;
    if (text.contains("exceed") || text.contains("limit")) {
      return "too-large";
    }
    if (text.contains("resourceType") || text.contains("topic")) {
      return "wrong-type";
    }
    if (text.contains("key") || text.contains(" id")) {
      return "invalid-id";
    }
    if (text.contains("JSON") || text.contains("json") || text.contains("trailing")) {
      return "invalid-json";
    }
    return "invalid-resource";
  }

  /** Waits until every dead letter is acknowledged; rethrows the first failure. */
  public void flush() {
    producer.flush();
    // A record too large for the dead-letter topic still gets its reason and origin there; the
    // value stays readable at its origin offset in the source topic.
    for (ProducerRecord<String, byte[]> record; (record = tooLarge.poll()) != null; ) {
      RecordHeaders headers = new RecordHeaders(record.headers().toArray());
      headers.add(VALUE_DROPPED, utf8("larger than the dead-letter topic accepts"));
      ProducerRecord<String, byte[]> withoutValue =
          new ProducerRecord<>(topic, null, record.key(), null, headers);
      try {
        producer.send(withoutValue, (metadata, exception) -> onSent(withoutValue, exception));
      } catch (org.apache.kafka.common.KafkaException e) {
        firstFailure.compareAndSet(null, e);
      }
    }
    producer.flush();
    Exception failure = firstFailure.getAndSet(null);
    if (failure != null) {
      throw KafkaFailures.classify("writing to the dead-letter topic " + topic, failure);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

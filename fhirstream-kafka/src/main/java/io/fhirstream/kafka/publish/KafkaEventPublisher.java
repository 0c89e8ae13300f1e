package io.fhirstream.kafka.publish;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.KafkaFailures;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;

/**
 * Publishes change events with an idempotent, acks=all producer.
 *
 * <p>Send callbacks run on the producer's I/O thread, so they never throw: the first failure is
 * remembered and rethrown on the caller's thread by the next {@link #flush()} (as Flink's Kafka
 * writer does). The caller moves its cursor only after flush returns.
 */
public final class KafkaEventPublisher implements EventPublisher {
  private final Producer<String, byte[]> producer;
  private final EventCodec codec;
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public KafkaEventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
    this.producer = producer;
    this.codec = codec;
  }

  @Override
  public void send(ChangeEvent event) {
    try {
      producer.send(
          codec.encode(event),
          (metadata, exception) -> {
            if (exception != null) {
              firstFailure.compareAndSet(null, exception);
            }
          });
    } catch (KafkaException e) {
      firstFailure.compareAndSet(null, e);
    }
  }

  @Override
  public void flush() {
    producer.flush();
    Exception failure = firstFailure.getAndSet(null);
    if (failure != null) {
      throw KafkaFailures.classify("publishing change events", failure);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}

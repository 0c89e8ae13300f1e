package io.fhirstream.kafka.publish;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.KafkaFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
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

  /**
   * Sends the batch and waits for its own acknowledgements: thread-safe, and a failure is reported
   * to the thread whose batch it hit, never to another's.
   */
  @Override
  public void publish(List<ChangeEvent> batch) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    try {
      for (ChangeEvent event : batch) {
        acks.add(producer.send(codec.encode(event)));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw KafkaFailures.classify("publishing change events", e.getCause());
    } catch (KafkaException e) {
      throw KafkaFailures.classify("publishing change events", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while publishing");
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}

package io.fhirstream.functions;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.runtime.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;

/**
 * The sink role's step for one batch the host delivered: {@code decode (bad records to dead
 * letters) → writer.write → writer.flush → dead letters flushed}. When {@link #deliver} returns,
 * every event of the batch is durable in the store or on the dead-letter hub, and only then does
 * the function return and let the host checkpoint. Anything thrown fails the invocation, so the
 * host does not checkpoint, and (with the writer function's retry policy) delivers the batch again.
 *
 * <p>One per worker process, opened on first use and kept warm between invocations: a store's
 * connection and the dead-letter producer cost seconds to open. The host runs a function for
 * several partitions at once, while a {@link DocumentWriter} is used from one thread at a time, so
 * batches are delivered one after the other.
 */
final class StoreDelivery implements AutoCloseable {
  private final EventCodec codec;
  private final DocumentWriter writer;
  private final Producer<String, byte[]> deadLetterProducer;
  private final DeadLetters deadLetters;
  private final AtomicLong deadLettered = new AtomicLong();

  /** What one batch came to. */
  record Outcome(int written, int deadLettered) {}

  private StoreDelivery(Settings settings) {
    HubConfig hub = settings.hub();
    this.codec = EventCodec.forDecoding(hub, settings.runtime().jsonLimits());
    this.deadLetterProducer = KafkaClients.producer(hub, "fhirstream-functions-dead-letters");
    this.deadLetters =
        new DeadLetters(
            deadLetterProducer, hub.deadLetterTopic(), reason -> deadLettered.incrementAndGet());
    this.writer = settings.storeFactory().createWriter(settings.storeConfig());
  }

  /** Opens the store (creating what is missing) and the dead-letter producer. */
  static StoreDelivery open(Settings settings) {
    StoreDelivery delivery = new StoreDelivery(settings);
    try {
      DeadLetters reporter = delivery.deadLetters;
      delivery.writer.open((WriterContext) () -> reporter);
      return delivery;
    } catch (RuntimeException e) {
      delivery.close();
      throw e;
    }
  }

  /** Writes the batch and waits until it is durable; throws if any part of it is not. */
  synchronized Outcome deliver(List<ConsumerRecord<String, byte[]>> records) {
    long before = deadLettered.get();
    List<ChangeEvent> batch = new ArrayList<>(records.size());
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        batch.add(codec.decode(record));
      } catch (BadEventException e) {
        deadLetters.send(record, e.getMessage());
      }
    }
    if (!batch.isEmpty()) {
      writer.write(batch);
    }
    writer.flush();
    deadLetters.flush();
    int bad = (int) (deadLettered.get() - before);
    return new Outcome(records.size() - bad, bad);
  }

  @Override
  public synchronized void close() {
    try {
      writer.close();
    } finally {
      deadLetterProducer.close();
    }
  }
}

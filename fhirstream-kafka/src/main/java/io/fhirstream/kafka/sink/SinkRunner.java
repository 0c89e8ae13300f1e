package io.fhirstream.kafka.sink;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import io.fhirstream.kafka.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink loop: {@code poll → decode (bad records to dead letters) → writer.write → writer.flush →
 * dead letters flushed → commit offsets}.
 *
 * <p><b>Offsets are committed only after {@link DocumentWriter#flush()} and the dead-letter flush
 * return</b>, in this class and nowhere else: a crash before the commit re-delivers the batch,
 * which the version-guarded writer applies idempotently. On a {@link RetriableException} the
 * consumer seeks back to the batch's first offsets and the batch is re-read after a {@link Backoff}
 * delay, so the consumer keeps polling (and keeps its partitions) while the store is unavailable.
 */
public final class SinkRunner implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkRunner.class);

  private final Consumer<String, byte[]> consumer;
  private final SinkTopics topics;
  private final EventCodec codec;
  private final DocumentWriter writer;
  private final DeadLetters deadLetters;
  private final Backoff backoff;
  private final Duration pollTimeout;
  private final SinkMeters meters;
  private volatile long lag = -1;
  private final List<java.util.function.Consumer<List<ChangeEvent>>> onCommitted =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  public SinkRunner(
      Consumer<String, byte[]> consumer,
      SinkTopics topics,
      EventCodec codec,
      DocumentWriter writer,
      DeadLetters deadLetters,
      Backoff backoff,
      Duration pollTimeout,
      MeterRegistry metrics) {
    this.consumer = consumer;
    this.topics = topics;
    this.codec = codec;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.backoff = backoff;
    this.pollTimeout = pollTimeout;
    this.meters = new SinkMeters(metrics);
  }

  /**
   * Opens the writer and subscribes, on the caller's thread, so that a store that cannot be opened
   * fails at start-up with its own message. Call before {@link #run()}.
   */
  public void open() {
    writer.open(context(deadLetters));
    topics.subscribe(consumer);
  }

  @Override
  public void run() {
    int failedAttempts = 0;
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
        try {
          if (!records.isEmpty()) {
            process(records);
          }
          failedAttempts = 0;
        } catch (RetriableException e) {
          failedAttempts++;
          meters.retried(e instanceof CommitRetriableException ? "hub" : "store");
          Duration delay = backoff.delay(failedAttempts, null);
          LOG.warn(
              "store unavailable ({}); retrying the batch in {} ms (attempt {})",
              e.getMessage(),
              delay.toMillis(),
              failedAttempts);
          rewind(records);
          waitPolling(delay);
        }
        updateLag();
      }
    } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
      // Asked to stop: nothing uncommitted is lost, it is re-delivered to the next owner.
    } finally {
      meters.close();
      consumer.close();
      writer.close();
    }
  }

  /** Stops the loop; uncommitted records are re-delivered to whoever reads the partitions next. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Records not yet committed on this instance's partitions, or -1 before the first poll. */
  public long lag() {
    return lag;
  }

  private void process(ConsumerRecords<String, byte[]> records) {
    List<ChangeEvent> batch = new ArrayList<>(records.count());
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    long[] arrivals = new long[records.count()];
    int i = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      arrivals[i++] = record.timestamp();
      try {
        batch.add(codec.decode(record));
      } catch (BadEventException e) {
        deadLetters.send(record, e.getMessage());
      }
      next.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
    }
    if (!batch.isEmpty()) {
      writer.write(batch);
    }
    writer.flush();
    deadLetters.flush();
    try {
      consumer.commitSync(next);
    } catch (CommitFailedException e) {
      // The group rebalanced: the new owner re-reads from the last commit; writes are idempotent.
      LOG.info("offset commit lost to a rebalance; the batch will be re-delivered");
      return;
    } catch (org.apache.kafka.common.errors.RetriableException e) {
      // The broker is away: re-read the batch from the last commit once it is back.
      throw new CommitRetriableException(
          "committing offsets failed for now (" + e.getClass().getSimpleName() + ")", e);
    }
    meters.committed(batch, arrivals, System.currentTimeMillis());
    for (var listener : onCommitted) {
      listener.accept(batch);
    }
  }

  /** The hub, not the store, failed for now: counted as such among retries. */
  private static final class CommitRetriableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    CommitRetriableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Observes every batch once its offsets are committed (after the store's flush), on the sink's
   * thread; for latency measurement and monitoring. Must be quick and must not throw. Listeners add
   * up: each one given is called.
   */
  public void onCommitted(java.util.function.Consumer<List<ChangeEvent>> listener) {
    this.onCommitted.add(listener);
  }

  /**
   * Waits out a backoff while still polling (paused), so a long outage of the store does not exceed
   * max.poll.interval.ms and cost the group a rebalance. Records that arrive anyway (from
   * partitions assigned meanwhile) are rewound, never skipped.
   */
  private void waitPolling(Duration delay) {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + delay.toNanos();
    for (long left = delay.toMillis();
        running && left > 0;
        left = (deadline - System.nanoTime()) / 1_000_000) {
      ConsumerRecords<String, byte[]> arrived =
          consumer.poll(Duration.ofMillis(Math.min(left, 500)));
      rewind(arrived);
      consumer.pause(consumer.assignment());
    }
    consumer.resume(consumer.assignment());
  }

  private void rewind(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> list = records.records(partition);
      if (!list.isEmpty() && consumer.assignment().contains(partition)) {
        consumer.seek(partition, list.get(0).offset());
      }
    }
  }

  private void updateLag() {
    long total = 0;
    boolean known = true;
    Map<TopicPartition, Long> byPartition = new HashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      OptionalLong partitionLag = consumer.currentLag(partition);
      if (partitionLag.isEmpty()) {
        known = false;
        continue;
      }
      byPartition.put(partition, partitionLag.getAsLong());
      total += partitionLag.getAsLong();
    }
    meters.lag(consumer.assignment(), byPartition);
    if (known) {
      lag = total;
    }
  }

  private static WriterContext context(DeadLetterReporter deadLetters) {
    return () -> deadLetters;
  }
}

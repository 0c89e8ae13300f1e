package io.fhirstream.analytics.results;

import io.fhirstream.analytics.stream.Headers;
import io.fhirstream.analytics.stream.TopicNames;
import io.fhirstream.analytics.stream.ViewRecords;
import io.fhirstream.api.Backoff;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.WriterContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The results loop: {@code poll (view and aggregate topics) → writer.replaceRows / putResult →
 * writer.flush → commit offsets}.
 *
 * <p><b>Offsets are committed only after {@link ResultWriter#flush()} returns</b>, here and nowhere
 * else: a crash before the commit re-delivers the batch, which the version-guarded writer applies
 * idempotently (a view's rows by the resource's version, a result by its version), so the store
 * never goes back to an older result. On a {@link RetriableException} the consumer seeks back to
 * the batch's first offsets and re-reads it after a {@link Backoff} delay, polling (paused)
 * meanwhile so it keeps its partitions.
 *
 * <p>The consumer reads committed records only ({@code read_committed}): with exactly_once_v2 a
 * result reaches the store only once the topology's transaction that made it has committed.
 */
public final class ResultsSink implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsSink.class);

  private final Consumer<String, byte[]> consumer;
  private final TopicNames topics;
  private final Map<String, ViewTable> views = new HashMap<>();
  private final List<String> aggregates;
  private final ResultWriter writer;
  private final WriterContext context;
  private final Backoff backoff;
  private final Duration pollTimeout;
  private volatile java.util.function.Consumer<List<ConsumerRecord<String, byte[]>>> onCommitted =
      batch -> {};
  private volatile boolean running = true;
  private volatile long lag = -1;
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /**
   * @param views the tables of the views whose rows the topology sends
   * @param aggregates the names of the aggregates whose results it sends
   */
  public ResultsSink(
      Consumer<String, byte[]> consumer,
      TopicNames topics,
      List<ViewTable> views,
      List<String> aggregates,
      ResultWriter writer,
      WriterContext context,
      Backoff backoff,
      Duration pollTimeout) {
    this.consumer = consumer;
    this.topics = topics;
    views.forEach(view -> this.views.put(view.name(), view));
    this.aggregates = List.copyOf(aggregates);
    this.writer = writer;
    this.context = context;
    this.backoff = backoff;
    this.pollTimeout = pollTimeout;
  }

  /**
   * Opens the writer, defines every view's table and subscribes, on the caller's thread, so that a
   * store that cannot hold results fails at start-up with its own message.
   */
  public void open() {
    writer.open(context);
    views.values().forEach(writer::defineView);
    List<String> subscribed = new ArrayList<>();
    views.keySet().forEach(view -> subscribed.add(topics.viewTopic(view)));
    aggregates.forEach(aggregate -> subscribed.add(topics.aggregateTopic(aggregate)));
    consumer.subscribe(subscribed);
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
          } else {
            // Transaction markers follow the last records: committing the position past them
            // lets the group's lag reach zero.
            commitPositions();
          }
          failedAttempts = 0;
        } catch (RetriableException e) {
          failedAttempts++;
          Duration delay = backoff.delay(failedAttempts, null);
          LOG.warn(
              "store unavailable for analytics results ({}); retrying the batch in {} ms"
                  + " (attempt {})",
              e.getMessage(),
              delay.toMillis(),
              failedAttempts);
          rewind(records);
          waitPolling(delay);
        }
        updateLag();
      }
    } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
      // Asked to stop: what is not committed is re-delivered to the next owner.
    } finally {
      consumer.close();
      writer.close();
    }
  }

  /** Stops the loop; uncommitted records are re-delivered to whoever reads next. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /**
   * Observes every batch once committed (after the store's flush), on the loop's thread; for
   * latency measurement. Must be quick and must not throw.
   */
  public void onCommitted(
      java.util.function.Consumer<List<ConsumerRecord<String, byte[]>>> listener) {
    this.onCommitted = listener;
  }

  private void process(ConsumerRecords<String, byte[]> records) {
    List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      write(record);
      batch.add(record);
    }
    writer.flush();
    if (commitPositions()) {
      onCommitted.accept(batch);
    }
  }

  /**
   * Commits the consumer's position on every partition where it moved: past the records just
   * flushed (the poll returned every record before it) and past transaction markers.
   *
   * @return false when a rebalance took the commit away (the new owner re-reads)
   */
  private boolean commitPositions() {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (TopicPartition partition : consumer.assignment()) {
      long position = consumer.position(partition);
      Long done = committed.get(partition);
      if (done == null || position > done) {
        next.put(partition, new OffsetAndMetadata(position));
      }
    }
    if (next.isEmpty()) {
      return true;
    }
    try {
      consumer.commitSync(next);
    } catch (CommitFailedException e) {
      LOG.info("analytics results: offset commit lost to a rebalance; the batch is re-delivered");
      committed.clear();
      return false;
    } catch (org.apache.kafka.common.errors.RetriableException e) {
      throw new RetriableException(
          "committing analytics result offsets failed for now ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    next.forEach((partition, offset) -> committed.put(partition, offset.offset()));
    return true;
  }

  /** Records not yet written on this instance's partitions, or -1 before the first poll. */
  public long lag() {
    return lag;
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      java.util.OptionalLong partitionLag = consumer.currentLag(partition);
      if (partitionLag.isEmpty()) {
        return;
      }
      total += partitionLag.getAsLong();
    }
    lag = consumer.assignment().isEmpty() ? -1 : total;
  }

  private void write(ConsumerRecord<String, byte[]> record) {
    String view = topics.viewOf(record.topic());
    if (view != null) {
      ViewTable table = views.get(view);
      ViewRecords.Decoded decoded = ViewRecords.decode(record.key(), record.value(), table);
      writer.replaceRows(view, decoded.version(), decoded.rows());
      return;
    }
    String aggregate = topics.aggregateOf(record.topic());
    String version = Headers.text(record.headers(), Headers.RESULT_VERSION);
    if (aggregate == null || version == null) {
      throw new IllegalStateException(
          "record "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + " is neither a view's rows nor a versioned result");
    }
    writer.putResult(aggregate, record.key(), Long.parseLong(version), record.value());
  }

  private void waitPolling(Duration delay) {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + delay.toNanos();
    for (long left = delay.toMillis();
        running && left > 0;
        left = (deadline - System.nanoTime()) / 1_000_000) {
      rewind(consumer.poll(Duration.ofMillis(Math.min(left, 500))));
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
}

package io.fhirstream.bench;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Watches a resource topic from the side, outside the pipeline's consumer group, and records how
 * long after its FHIR write each change reached the hub: the source's share of the latency, the
 * rest being the sink's.
 */
final class HubArrivals implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final Histogram micros = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);

  /**
   * @param writtenAt each change's write time ({@code id/version} → nanoTime); read, not removed
   * @param measureFrom nanoTime from which arrivals are recorded (after the warm-up)
   */
  HubArrivals(
      HubConfig hub,
      EventCodec codec,
      String resourceType,
      Map<String, Long> writtenAt,
      LongSupplier measureFrom) {
    consumer = KafkaClients.consumer(hub, null, "fhirstream-bench-arrivals");
    List<TopicPartition> partitions =
        consumer.partitionsFor(hub.topic(resourceType), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // resolve now: only what is published from here
    thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  for (ConsumerRecord<String, byte[]> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    long now = System.nanoTime();
                    Long at = writtenAt.get(key(codec, record));
                    if (at != null && at >= measureFrom.getAsLong()) {
                      synchronized (micros) {
                        micros.recordValue((now - at) / 1000);
                      }
                    }
                  }
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                consumer.close();
              }
            },
            "fhirstream-bench-arrivals");
    thread.setDaemon(true);
    thread.start();
  }

  private static String key(EventCodec codec, ConsumerRecord<String, byte[]> record) {
    try {
      ChangeEvent event = codec.decode(record);
      return event.id() + "/" + event.versionId();
    } catch (BadEventException e) {
      return "";
    }
  }

  /** Write-to-hub latencies so far, in microseconds. */
  Histogram micros() {
    synchronized (micros) {
      return micros.copy();
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}

package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records published straight to the topics, as another producer (or a replay) would deliver them:
 * out of order, after a delete, or not valid at all.
 */
class SinkDeliveryIT {
  @TempDir Path dir;

  private static String patient(String id, int version, String lastUpdated) {
    return "{\"resourceType\":\"Patient\",\"id\":\""
        + id
        + "\",\"meta\":{\"versionId\":\""
        + version
        + "\",\"lastUpdated\":\""
        + lastUpdated
        + "\"},\"gender\":\"other\"}";
  }

  private static ProducerRecord<String, byte[]> record(
      String topic, String key, String value, String version) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    if (version != null) {
      record.headers().add(EventCodec.FHIR_VERSION_ID, version.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private Optional<StoredDocument> stored(Path db, String id) {
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(db)) {
      return reader.hasTable("Patient") ? reader.read("Patient", id) : Optional.empty();
    }
  }

  @Test
  void olderVersionAfterNewerIsNotAppliedAndDeleteIsNotResurrected() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir);
        Pipeline pipeline = fixture.start(EnumSet.of(Role.SINK));
        KafkaProducer<String, byte[]> producer = KafkaClients.producer(pipeline.hub(), "test")) {
      String topic = fixture.topic();
      producer.send(record(topic, "a", patient("a", 2, "2026-01-01T00:00:02Z"), null));
      producer.send(record(topic, "a", patient("a", 1, "2026-01-01T00:00:01Z"), null));
      producer.send(record(topic, "b", null, "3")); // tombstone of version 3
      producer.send(record(topic, "b", patient("b", 2, "2026-01-01T00:00:02Z"), null));
      producer.send(record(topic, "c", patient("c", 1, "2026-01-01T00:00:01Z"), null));
      producer.flush();

      await().atMost(Duration.ofSeconds(30)).until(() -> stored(fixture.database, "c").isPresent());
      assertThat(stored(fixture.database, "a"))
          .get()
          .extracting(StoredDocument::versionId)
          .isEqualTo("2");
      StoredDocument b = stored(fixture.database, "b").orElseThrow();
      assertThat(b.deleted()).isTrue();
      assertThat(b.versionId()).isEqualTo("3");

      // A newer re-create after the delete is applied.
      producer.send(record(topic, "b", patient("b", 4, "2026-01-01T00:00:04Z"), null)).get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "4".equals(stored(fixture.database, "b").orElseThrow().versionId()));
      assertThat(stored(fixture.database, "b").orElseThrow().deleted()).isFalse();
    }
  }

  @Test
  void poisonRecordGoesToDeadLettersWithReasonAndTheRecordsAfterItAreWritten() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir);
        Pipeline pipeline =
            fixture.withSettings("hub.partitions", "1").start(EnumSet.of(Role.SINK));
        KafkaProducer<String, byte[]> producer = KafkaClients.producer(pipeline.hub(), "test")) {
      String topic = fixture.topic();
      producer.send(record(topic, "before", patient("before", 1, "2026-01-01T00:00:01Z"), null));
      producer.send(record(topic, "bad", "Johnson Smith, not JSON", null));
      producer.send(
          record(topic, "mismatch", patient("someone-else", 1, "2026-01-01T00:00:01Z"), null));
      producer.send(record(topic, "after", patient("after", 1, "2026-01-01T00:00:01Z"), null));
      producer.flush();

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stored(fixture.database, "after").isPresent());
      assertThat(stored(fixture.database, "before")).isPresent();
      assertThat(stored(fixture.database, "bad")).isEmpty();

      List<ConsumerRecord<String, byte[]>> dead =
          readAll(pipeline.hub(), pipeline.hub().deadLetterTopic(), 2);
      assertThat(dead).extracting(ConsumerRecord::key).containsExactly("bad", "mismatch");
      ConsumerRecord<String, byte[]> first = dead.get(0);
      String reason = header(first, DeadLetters.REASON);
      assertThat(reason).contains("not valid JSON").doesNotContain("Johnson");
      assertThat(header(first, DeadLetters.TOPIC)).isEqualTo(topic);
      assertThat(header(first, DeadLetters.OFFSET)).isEqualTo("1");
      assertThat(new String(first.value(), StandardCharsets.UTF_8))
          .isEqualTo("Johnson Smith, not JSON");
      assertThat(header(dead.get(1), DeadLetters.REASON))
          .contains("id does not equal the record key");
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  static List<ConsumerRecord<String, byte[]>> readAll(HubConfig hub, String topic, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(hub, null, "test-reader")) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}

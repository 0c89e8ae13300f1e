package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.sink.DeadLetters;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.store.postgres.PostgresTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer function called as the Functions host calls it, with the payloads and metadata the
 * host delivers, against real stores (a SQLite file, PostgreSQL) and a real Kafka broker for the
 * dead letters.
 */
class WriterFunctionIT {
  @TempDir Path dir;

  @Test
  void aBatchIsWrittenVersionGuardedAndItsPoisonDeadLetteredWhileTheBatchCompletes()
      throws Exception {
    Map<String, String> env = sqlite();
    HostPayloads batch =
        new HostPayloads(hub(env), 100)
            .add(patient("a", 2))
            .add(patient("a", 1)) // older, delivered later: never overwrites version 2
            .add(patient("b", 1))
            .add(ChangeEvent.delete("Patient", "b", "2", Instant.parse("2026-01-01T00:00:09Z")))
            .add("not json".getBytes(StandardCharsets.UTF_8), Map.of(), "c");

    invoke(env, batch);

    try (DocumentReader reader = reader(env)) {
      assertThat(reader.read("Patient", "a").map(StoredDocument::versionId)).contains("2");
      StoredDocument b = reader.read("Patient", "b").orElseThrow();
      assertThat(b.deleted()).isTrue();
      assertThat(b.versionId()).isEqualTo("2");
      assertThat(reader.read("Patient", "c")).isEmpty();
    }
    List<ConsumerRecord<String, byte[]>> dead = deadLetters(env, 1);
    assertThat(header(dead.get(0), DeadLetters.REASON)).contains("not valid JSON");
    assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo("fhir.Patient");
    assertThat(header(dead.get(0), DeadLetters.OFFSET)).isEqualTo("104");
  }

  @Test
  void redeliveryOfABatchAfterACrashChangesNothing() throws Exception {
    Map<String, String> env = sqlite();
    HostPayloads batch = new HostPayloads(hub(env), 0).add(patient("a", 1)).add(patient("a", 2));

    invoke(env, batch);
    invoke(env, batch);

    try (DocumentReader reader = reader(env)) {
      assertThat(reader.read("Patient", "a").map(StoredDocument::versionId)).contains("2");
      assertThat(reader.count("Patient")).isEqualTo(1);
    }
  }

  @Test
  void aStoreOutageFailsTheInvocationSoTheHostRetriesTheBatchAndNothingIsLost() throws Exception {
    PostgresTestServer postgres = PostgresTestServer.shared();
    Map<String, String> env = new HashMap<>(common());
    env.put("FHIRSTREAM_STORE_TYPE", "postgres");
    env.put("FHIRSTREAM_STORE_POSTGRES_URL", postgres.url());
    env.put("FHIRSTREAM_STORE_POSTGRES_USER", PostgresTestServer.SINK_ROLE);
    env.put("FHIRSTREAM_STORE_POSTGRES_PASSWORD", postgres.sinkPassword());
    env.put("FHIRSTREAM_STORE_POSTGRES_SCHEMA", "functions_" + suffix());
    invoke(env, new HostPayloads(hub(env), 0).add(patient("a", 1)));
    HostPayloads batch = new HostPayloads(hub(env), 1).add(patient("a", 2)).add(patient("b", 1));

    try (AutoCloseable outage = postgres.outage()) {
      assertThatThrownBy(() -> invoke(env, batch))
          .isInstanceOf(io.fhirstream.api.RetriableException.class);
    }
    invoke(env, batch); // the host's retry of the same batch

    try (DocumentReader reader = reader(env)) {
      assertThat(reader.read("Patient", "a").map(StoredDocument::versionId)).contains("2");
      assertThat(reader.read("Patient", "b").map(StoredDocument::versionId)).contains("1");
    }
  }

  private void invoke(Map<String, String> env, HostPayloads batch) {
    new WriterFunction(env)
        .write(
            batch.bodies,
            batch.propertiesArray(),
            batch.systemPropertiesArray(),
            HostPayloads.context("fhirstream-writer"));
  }

  private Map<String, String> sqlite() {
    Map<String, String> env = new HashMap<>(common());
    env.put("FHIRSTREAM_STORE_TYPE", "sqlite");
    env.put("FHIRSTREAM_STORE_SQLITE_PATH", dir.resolve("fhirstream.db").toString());
    return env;
  }

  private static Map<String, String> common() {
    String deadLetterTopic = "functions-dead-letters-" + suffix();
    Map<String, String> env = new HashMap<>();
    env.put("FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS", TestBroker.bootstrapServers());
    env.put("FHIRSTREAM_HUB_DEAD_LETTER_TOPIC", deadLetterTopic);
    env.put("FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB", "fhir.Patient");
    env.put("FUNCTIONS_WORKER_RUNTIME", "java");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(deadLetterTopic, 1, (short) 1))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return env;
  }

  private static HubConfig hub(Map<String, String> env) {
    return settings(env).hub();
  }

  private static Settings settings(Map<String, String> env) {
    return FunctionsConfig.from(env, EnumSet.of(Role.SINK)).settings();
  }

  private static DocumentReader reader(Map<String, String> env) {
    Settings settings = settings(env);
    return settings.storeFactory().createReader(settings.storeConfig());
  }

  private static ChangeEvent patient(String id, int version) {
    Instant time = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(version);
    String json =
        "{\"resourceType\":\"Patient\",\"id\":\""
            + id
            + "\",\"meta\":{\"versionId\":\""
            + version
            + "\",\"lastUpdated\":\""
            + time
            + "\"}}";
    return ChangeEvent.upsert(
        "Patient", id, Integer.toString(version), time, json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<ConsumerRecord<String, byte[]>> deadLetters(
      Map<String, String> env, int expected) {
    HubConfig hub = hub(env);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(hub, null, "it-reader")) {
      TopicPartition partition = new TopicPartition(hub.deadLetterTopic(), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

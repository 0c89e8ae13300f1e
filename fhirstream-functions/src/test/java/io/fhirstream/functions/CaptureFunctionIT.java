package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The timer capture function called as the Functions host calls it, against the demo FHIR server
 * and the embedded Kafka broker: each run publishes what changed since the cursor the last run
 * committed on the hub, each version once.
 */
class CaptureFunctionIT {
  private final String prefix = "fncap" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @Test
  void eachRunPublishesWhatChangedSinceTheCursorOfTheLastRunEachVersionOnce() throws Exception {
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start()) {
      SyntheticPatients generator = new SyntheticPatients(11);
      List<ResourceVersion> created = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        created.add(server.store().create(generator.next()));
      }
      Map<String, String> env = env(server);
      HubConfig hub = FunctionsConfig.from(env, EnumSet.of(Role.SOURCE)).settings().hub();

      invoke(env);
      List<ConsumerRecord<String, byte[]>> first = read(hub, 20);
      assertThat(versions(first))
          .as("the first run: every patient's first version, once")
          .hasSize(20)
          .containsAll(created.stream().map(v -> v.id() + "/" + v.versionId()).toList());

      Set<String> changed = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        Patient patient = generator.mutate(generator.next());
        patient.setId(created.get(i).id());
        ResourceVersion updated = server.store().update(patient);
        changed.add(updated.id() + "/" + updated.versionId());
      }
      ResourceVersion deleted = server.store().delete("Patient", created.get(5).id()).orElseThrow();
      changed.add(deleted.id() + "/" + deleted.versionId());
      ResourceVersion added = server.store().create(generator.next());
      changed.add(added.id() + "/" + added.versionId());
      // Past the source's safety lag, so that the changes fall before the next run's start.
      Thread.sleep(1_500);

      invoke(env);
      List<String> second = new ArrayList<>(versions(read(hub, 25)));
      versions(first).forEach(second::remove);
      assertThat(second)
          .as("the second run: only what changed since the first run's cursor")
          .containsExactlyInAnyOrderElementsOf(changed);
      assertThat(read(hub, 25).stream().filter(r -> r.value() == null).map(ConsumerRecord::key))
          .as("the deletion is a tombstone")
          .containsExactly(deleted.id());
    }
  }

  @Test
  void aRunWithoutAHubToPublishToStopsNamingTheSetting() {
    Map<String, String> env = new HashMap<>();
    env.put("FHIRSTREAM_SOURCE_FHIR_BASE_URL", "http://127.0.0.1:1/fhir");
    assertThatThrownBy(() -> new CaptureFunction(env).capture("{}", HostPayloads.context("c")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers");
  }

  private static void invoke(Map<String, String> env) throws InterruptedException {
    new CaptureFunction(env).capture("{}", HostPayloads.context("fhirstream-capture"));
  }

  private Map<String, String> env(DemoFhirServer server) {
    Map<String, String> env = new HashMap<>();
    env.put("FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS", TestBroker.bootstrapServers());
    env.put("FHIRSTREAM_HUB_TOPIC_PREFIX", prefix + "fhir.");
    env.put("FHIRSTREAM_HUB_CURSOR_TOPIC", prefix + "cursors");
    env.put("FHIRSTREAM_SOURCE_FHIR_BASE_URL", server.baseUrl());
    env.put("FHIRSTREAM_SOURCE_RESOURCE_TYPES", "Patient");
    env.put("FHIRSTREAM_FUNCTIONS_CAPTURE_BUDGET", "60s");
    env.put("FUNCTIONS_WORKER_RUNTIME", "java");
    return env;
  }

  /** {@code id/version} of each record. */
  private static List<String> versions(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream()
        .map(
            r ->
                r.key()
                    + "/"
                    + new String(
                        r.headers().lastHeader(EventCodec.FHIR_VERSION_ID).value(),
                        StandardCharsets.UTF_8))
        .toList();
  }

  /** Every record of the Patient topic so far. */
  private static List<ConsumerRecord<String, byte[]>> read(HubConfig hub, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(hub, null, "it-reader")) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(hub.topic("Patient"))) {
        partitions.add(new TopicPartition(info.topic(), info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    assertThat(out).as("records on the Patient topic").hasSize(expected);
    return out;
  }
}

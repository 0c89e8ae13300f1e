package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The events capture function called as the Functions host calls it (message bodies, system
 * properties, an ExecutionContext), against the demo FHIR server and the embedded Kafka broker.
 */
class EventsCaptureFunctionIT {
  private final String prefix = "fnev" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @Test
  void eventsBecomeTheVersionsTheyNameOnTheResourceTopicAlsoWhenInvocationsOverlap()
      throws Exception {
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start()) {
      SyntheticPatients generator = new SyntheticPatients(3);
      Patient patient = generator.next();
      ResourceVersion v1 = server.store().create(patient);
      Patient changed = generator.mutate(patient);
      changed.setId(v1.id());
      ResourceVersion v2 = server.store().update(changed);
      ResourceVersion other = server.store().create(generator.next());
      ResourceVersion deleted = server.store().delete("Patient", other.id()).orElseThrow();
      String account = "127.0.0.1:" + URI.create(server.baseUrl()).getPort();
      Map<String, String> env = env(server);
      HubConfig hub = FunctionsConfig.from(env, EnumSet.of(Role.SOURCE)).settings().hub();
      try (Admin admin = KafkaClients.admin(hub)) {
        admin.createTopics(List.of(new NewTopic(hub.topic("Patient"), 1, (short) 1))).all().get();
      }

      List<byte[]> first =
          List.of(
              event("FhirResourceCreated", account, v1),
              event("FhirResourceUpdated", account, v2),
              event("FhirResourceUpdated", account, v2));
      List<byte[]> second =
          List.of(
              event("FhirResourceDeleted", account, deleted),
              event("FhirResourceUpdated", "elsewhere.fhir.azurehealthcareapis.com", v2));
      CompletableFuture<Void> a = CompletableFuture.runAsync(() -> invoke(env, first));
      CompletableFuture<Void> b = CompletableFuture.runAsync(() -> invoke(env, second));
      CompletableFuture.allOf(a, b).get();

      List<ConsumerRecord<String, byte[]>> records = read(hub, 2);
      Map<String, String> versions = new HashMap<>();
      for (ConsumerRecord<String, byte[]> record : records) {
        versions.put(
            record.key() + (record.value() == null ? " deleted" : ""),
            new String(
                record.headers().lastHeader(EventCodec.FHIR_VERSION_ID).value(),
                StandardCharsets.UTF_8));
      }
      assertThat(versions)
          .containsOnly(
              Map.entry(v1.id(), Long.toString(v2.versionId())),
              Map.entry(other.id() + " deleted", Long.toString(deleted.versionId())));
      ConsumerRecord<String, byte[]> upsert =
          records.stream().filter(r -> r.value() != null).findFirst().orElseThrow();
      assertThat(new String(upsert.value(), StandardCharsets.UTF_8))
          .as("the body exactly as the server sent it")
          .isEqualTo(
              server
                  .store()
                  .version("Patient", v1.id(), v2.versionId())
                  .orElseThrow()
                  .json()
                  .orElseThrow());
    }
  }

  private static void invoke(Map<String, String> env, List<byte[]> messages) {
    @SuppressWarnings("unchecked")
    Map<String, Object>[] system = new Map[messages.size()];
    for (int i = 0; i < system.length; i++) {
      system[i] = Map.of("SequenceNumber", (double) i, "Offset", Integer.toString(i * 100));
    }
    new EventsCaptureFunction(env)
        .capture(messages, system, HostPayloads.context("fhirstream-ahds-events"));
  }

  private Map<String, String> env(DemoFhirServer server) {
    Map<String, String> env = new HashMap<>();
    env.put("FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS", TestBroker.bootstrapServers());
    env.put("FHIRSTREAM_HUB_TOPIC_PREFIX", prefix + "fhir.");
    env.put("FHIRSTREAM_SOURCE_TYPE", "ahds-events");
    env.put("FHIRSTREAM_SOURCE_FHIR_BASE_URL", server.baseUrl());
    env.put("FHIRSTREAM_SOURCE_RESOURCE_TYPES", "Patient");
    env.put("FHIRSTREAM_SOURCE_EVENTS_TOPIC", prefix + "ahds-events");
    env.put("FHIRSTREAM_SOURCE_EVENTS_CONSUMER_GROUP", "fhirstream-ahds-events");
    env.put("FUNCTIONS_WORKER_RUNTIME", "java");
    return env;
  }

  private static byte[] event(String type, String account, ResourceVersion version) {
    return ("{\"specversion\":\"1.0\",\"id\":\""
            + UUID.randomUUID()
            + "\","
            + "\"source\":\"/subscriptions/s/workspaces/ws\",\"type\":\"Microsoft.HealthcareApis."
            + type
            + "\","
            + "\"time\":\""
            + version.lastUpdated()
            + "\",\"data\":{\"resourceType\":\"Patient\","
            + "\"resourceFhirAccount\":\""
            + account
            + "\",\"resourceFhirId\":\""
            + version.id()
            + "\","
            + "\"resourceVersionId\":"
            + version.versionId()
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<ConsumerRecord<String, byte[]>> read(HubConfig hub, int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(hub, null, "it-reader")) {
      TopicPartition partition = new TopicPartition(hub.topic("Patient"), 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    assertThat(out).hasSize(expected);
    return out;
  }
}

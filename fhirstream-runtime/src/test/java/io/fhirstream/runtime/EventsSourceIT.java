package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code source.type=ahds-events} end to end: Health Data Services events (Event Grid and
 * CloudEvents schemas) published to a topic of the embedded broker name versions of the demo FHIR
 * server's resources; the source reads them, the sink writes SQLite. The safety-net poll runs once
 * an hour, so what reaches the store after the first load came by the events.
 */
class EventsSourceIT {
  private static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void eventsInBothSchemasDuplicatedReorderedAndForDeletionsReachTheStore() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      String topic = fixture.prefix + "ahds-events";
      fixture
          .withSettings("source.type", "ahds-events")
          .withSettings("source.events.topic", topic)
          .withSettings("source.events.consumer-group", fixture.prefix + "events")
          .withSettings("source.events.safety-net-interval", "1h");
      SyntheticPatients generator = new SyntheticPatients(7);
      ResourceVersion seeded = fixture.server.store().create(generator.next());
      createTopic(fixture, topic);
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      try (Pipeline pipeline =
          Pipeline.start(
              Settings.parse(fixture.settings), EnumSet.of(Role.SOURCE, Role.SINK), metrics)) {
        awaitTrue(() -> stored(fixture, seeded.id()).isPresent(), WITHIN);
        Thread.sleep(500); // the history poll after the first load, before the hour's pause

        Patient patient = generator.next();
        ResourceVersion v1 = fixture.server.store().create(patient);
        Patient changed = generator.mutate(patient);
        changed.setId(v1.id());
        ResourceVersion v2 = fixture.server.store().update(changed);
        ResourceVersion deletion =
            fixture.server.store().delete("Patient", seeded.id()).orElseThrow();
        String account = "127.0.0.1:" + java.net.URI.create(fixture.server.baseUrl()).getPort();

        publish(
            fixture,
            topic,
            cloudEvent("FhirResourceUpdated", account, v2), // newest first: reordered
            eventGrid("FhirResourceCreated", account, v1),
            cloudEvent("FhirResourceUpdated", account, v2), // duplicate
            eventGrid("FhirResourceDeleted", account, deletion),
            cloudEvent("FhirResourceUpdated", "other-fhir.fhir.azurehealthcareapis.com", v2),
            "not an event".getBytes(StandardCharsets.UTF_8));

        awaitTrue(
            () ->
                stored(fixture, v1.id())
                        .map(d -> d.versionId().equals(Long.toString(v2.versionId())))
                        .orElse(false)
                    && stored(fixture, seeded.id()).map(StoredDocument::deleted).orElse(false),
            WITHIN,
            () ->
                stored(fixture, v1.id())
                    + " "
                    + stored(fixture, seeded.id())
                    + " received="
                    + count(metrics, "received")
                    + " published="
                    + count(metrics, "published")
                    + " dropped="
                    + count(metrics, "dropped"));
        StoredDocument tombstone = stored(fixture, seeded.id()).orElseThrow();
        assertThat(tombstone.versionId()).isEqualTo(Long.toString(deletion.versionId()));
        assertThat(count(metrics, "other-account")).isEqualTo(1);
        assertThat(count(metrics, "unreadable")).isEqualTo(1);
        assertThat(count(metrics, "published")).as("v2 and the deletion, once each").isEqualTo(2);

        // An event for a version older than one already published: dropped, nothing read.
        publish(fixture, topic, eventGrid("FhirResourceCreated", account, v1));
        awaitTrue(() -> count(metrics, "received") >= 6, WITHIN);
        assertThat(count(metrics, "published")).isEqualTo(2);
        assertThat(stored(fixture, v1.id()).orElseThrow().versionId())
            .isEqualTo(Long.toString(v2.versionId()));
      }
    }
  }

  private static byte[] eventGrid(String type, String account, ResourceVersion version) {
    return ("[{\"id\":\""
            + java.util.UUID.randomUUID()
            + "\",\"topic\":\"/subscriptions/s/workspaces/ws\","
            + "\"subject\":\""
            + account
            + "/Patient/"
            + version.id()
            + "\","
            + "\"data\":{\"resourceType\":\"Patient\",\"resourceFhirAccount\":\""
            + account
            + "\","
            + "\"resourceFhirId\":\""
            + version.id()
            + "\",\"resourceVersionId\":"
            + version.versionId()
            + "},"
            + "\"eventType\":\"Microsoft.HealthcareApis."
            + type
            + "\",\"dataVersion\":\"1\","
            + "\"metadataVersion\":\"1\",\"eventTime\":\""
            + version.lastUpdated()
            + "\"}]")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] cloudEvent(String type, String account, ResourceVersion version) {
    return ("{\"specversion\":\"1.0\",\"id\":\""
            + java.util.UUID.randomUUID()
            + "\","
            + "\"source\":\"/subscriptions/s/workspaces/ws\",\"subject\":\""
            + account
            + "/Patient/"
            + version.id()
            + "\","
            + "\"type\":\"Microsoft.HealthcareApis."
            + type
            + "\",\"time\":\""
            + version.lastUpdated()
            + "\","
            + "\"data\":{\"resourceType\":\"Patient\",\"resourceFhirAccount\":\""
            + account
            + "\","
            + "\"resourceFhirId\":\""
            + version.id()
            + "\",\"resourceVersionId\":\""
            + version.versionId()
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void createTopic(PipelineFixture fixture, String topic) throws Exception {
    var hub = Settings.parse(fixture.settings).hub();
    try (Admin admin = KafkaClients.admin(hub)) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
  }

  private static void publish(PipelineFixture fixture, String topic, byte[]... messages) {
    var hub = Settings.parse(fixture.settings).hub();
    try (var producer = KafkaClients.producer(hub, "event-grid")) {
      for (byte[] message : messages) {
        producer.send(new ProducerRecord<>(topic, null, message)); // Event Grid sets no key
      }
      producer.flush();
    }
  }

  private static double count(SimpleMeterRegistry metrics, String outcome) {
    var counter = metrics.find("fhirstream.source.events").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Optional<StoredDocument> stored(PipelineFixture fixture, String id) {
    if (!java.nio.file.Files.exists(fixture.database)) {
      return Optional.empty();
    }
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(fixture.database)) {
      return reader.hasTable("Patient") ? reader.read("Patient", id) : Optional.empty();
    }
  }

  private static void awaitTrue(Supplier<Boolean> condition, Duration timeout)
      throws InterruptedException {
    awaitTrue(condition, timeout, () -> "condition met in time");
  }

  private static void awaitTrue(
      Supplier<Boolean> condition, Duration timeout, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not in time: " + state.get());
      }
      Thread.sleep(100);
    }
  }
}

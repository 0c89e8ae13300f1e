package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.push.SubscriptionSetup;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push mode end to end on real components: the demo FHIR server sends rest-hook notifications over
 * HTTP to the pipeline's endpoint, which publishes to the real broker; the sink writes SQLite.
 * Polling runs every 10 minutes in most tests, so a change that arrives within seconds came by
 * push.
 */
class PushModeIT {
  private static final String SECRET = "s3cret-for-push-tests-0123456789";
  private static final Duration PUSHED_WITHIN = Duration.ofSeconds(15);

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private PipelineFixture pushFixture(String pollInterval) throws Exception {
    return new PipelineFixture(dir)
        .withSettings("source.push.enabled", "true")
        .withSettings("source.push.port", "0")
        .withSettings("source.push.secret", SECRET)
        .withSettings("source.push.poll-interval", pollInterval);
  }

  @Test
  void pushDeliversAChangeWithoutWaitingForThePollInterval() throws Exception {
    try (PipelineFixture fixture = pushFixture("10m");
        Pipeline pipeline = fixture.start()) {
      awaitFirstPoll(pipeline);
      subscribe(fixture, pipeline);

      String id = fixture.workload.create();
      for (int i = 0; i < 20; i++) {
        fixture.workload.update();
      }

      awaitStoreEqualsServer(fixture, PUSHED_WITHIN);
      awaitTrue(() -> fixture.server.restHooksDelivered() >= 21, PUSHED_WITHIN);
      assertThat(stored(fixture, id)).isPresent();
    }
  }

  @Test
  void wrongOrMissingSecretIsRefusedWith401AndNothingIsPublished() throws Exception {
    try (LogCapture logs = new LogCapture();
        PipelineFixture fixture = pushFixture("10m");
        Pipeline pipeline = fixture.start()) {
      awaitFirstPoll(pipeline);
      String patient =
          "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"1\","
              + "\"lastUpdated\":\"2025-01-01T00:00:00.000+00:00\"}}";
      URI url = URI.create(FhirSources.push(pipeline).url() + "/Patient/p1");

      assertThat(put(url, patient, "Bearer wrong")).isEqualTo(401);
      assertThat(put(url, patient, null)).isEqualTo(401);
      assertThat(put(url, patient, SECRET)).as("the bare secret without Bearer").isEqualTo(401);

      // A Subscription carrying the wrong secret: the server's notifications are refused too.
      Map<String, String> wrong = new HashMap<>(fixture.settings);
      wrong.put("source.push.secret", "not-" + SECRET);
      SourceConfig wrongSource = FhirSources.config(wrong);
      wrongSource
          .subscriptionSetup(FhirSources.push(pipeline).url(), wrongSource.newCredentials())
          .ensureAll();
      fixture.workload.create();
      awaitTrue(() -> fixture.server.restHooksRefused() > 0, PUSHED_WITHIN);

      assertThat(endOffset(pipeline, fixture.topic())).isZero();
      assertThat(put(url, patient, "Bearer " + SECRET)).as("the right secret").isEqualTo(200);
      assertThat(endOffset(pipeline, fixture.topic())).isEqualTo(1);
      assertThat(logs.texts()).isNotEmpty().noneMatch(line -> line.contains(SECRET));
    }
  }

  @Test
  void idOnlyNotificationReadsTheNewestVersionFromTheServer() throws Exception {
    try (PipelineFixture fixture = pushFixture("10m");
        Pipeline pipeline = fixture.start()) {
      awaitFirstPoll(pipeline);
      SyntheticPatients generator = new SyntheticPatients(21);
      Patient patient = generator.next();
      ResourceVersion v1 = fixture.server.store().create(patient);
      Patient changed = generator.mutate(patient);
      changed.setId(v1.id());
      fixture.server.store().update(changed);

      // No body: fhirstream reads the resource (GET Patient/{id}/_history?_count=1).
      URI url = URI.create(FhirSources.push(pipeline).url() + "/Patient/" + v1.id());
      assertThat(post(url, "Bearer " + SECRET)).isEqualTo(200);
      assertThat(endOffset(pipeline, fixture.topic()))
          .as("published before the answer")
          .isEqualTo(1);
      awaitTrue(
          () -> "2".equals(stored(fixture, v1.id()).map(StoredDocument::versionId).orElse(null)),
          PUSHED_WITHIN);

      // A DELETE notification (HAPI's send-delete-messages): the deletion's version is read too.
      fixture.server.store().delete("Patient", v1.id());
      assertThat(delete(url, "Bearer " + SECRET)).isEqualTo(200);
      awaitTrue(
          () -> stored(fixture, v1.id()).map(StoredDocument::deleted).orElse(false), PUSHED_WITHIN);
      assertThat(stored(fixture, v1.id()).orElseThrow().versionId()).isEqualTo("3");
    }
  }

  @Test
  void idOnlySubscriptionsMakeTheEndpointPollAtOnce() throws Exception {
    try (PipelineFixture fixture =
            pushFixture("10m").withSettings("source.push.payload", "id-only");
        Pipeline pipeline = fixture.start()) {
      awaitFirstPoll(pipeline);
      subscribe(fixture, pipeline);

      // The server POSTs an empty body to the endpoint itself: it names no resource.
      for (int i = 0; i < 10; i++) {
        fixture.workload.randomChange();
      }

      awaitStoreEqualsServer(fixture, PUSHED_WITHIN);
      assertThat(fixture.server.restHooksDelivered()).isPositive();
    }
  }

  @Test
  void safetyNetPollingCatchesDeletionsTheServerDoesNotPush() throws Exception {
    try (PipelineFixture fixture = pushFixture("2s").withSettings("source.push.deletes", "false");
        Pipeline pipeline = fixture.start()) {
      awaitFirstPoll(pipeline);
      subscribe(fixture, pipeline);

      for (int i = 0; i < 150; i++) {
        fixture.workload.create();
      }
      for (int i = 0; i < 150; i++) {
        fixture.workload.update();
      }
      for (int i = 0; i < 40; i++) {
        fixture.workload.delete();
      }
      for (int i = 0; i < 5; i++) {
        fixture.workload.recreate();
      }

      // Push and poll both deliver most changes: the version guard keeps the duplicates harmless.
      fixture.assertStoreEqualsServer(pipeline, fixture.database);
      assertThat(fixture.server.store().countDeleted("Patient")).isEqualTo(35);
      awaitTrue(() -> fixture.server.restHooksDelivered() >= 305, PUSHED_WITHIN);
      assertThat(fixture.server.restHooksDropped()).isZero();
    }
  }

  private static void subscribe(PipelineFixture fixture, Pipeline pipeline) {
    SourceConfig source = FhirSources.config(fixture.settings);
    SubscriptionSetup setup =
        source.subscriptionSetup(FhirSources.push(pipeline).url(), source.newCredentials());
    assertThat(setup.ensureAll())
        .extracting(SubscriptionSetup.Outcome::action)
        .containsExactly(SubscriptionSetup.Action.CREATED);
    // Idempotent: a second run finds it by its tag and leaves it alone.
    assertThat(setup.ensureAll())
        .extracting(SubscriptionSetup.Outcome::action)
        .containsExactly(SubscriptionSetup.Action.UNCHANGED);
  }

  /** The first poll (an empty first load) is done, so later changes can only come by push. */
  private static void awaitFirstPoll(Pipeline pipeline) throws InterruptedException {
    awaitTrue(() -> FhirSources.cursor(pipeline, "Patient") != null, Duration.ofSeconds(30));
    Thread.sleep(500); // the history poll that follows a first load, before the long pause
  }

  private static void awaitStoreEqualsServer(PipelineFixture fixture, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ConsistencyCheck.Result result = compare(fixture);
    while (!result.consistent() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      result = compare(fixture);
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.consistent()).isTrue();
  }

  private static ConsistencyCheck.Result compare(PipelineFixture fixture) {
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(fixture.database)) {
      Map<String, StoredDocument> stored =
          reader.hasTable("Patient") ? reader.readAll("Patient") : Map.of();
      return ConsistencyCheck.compare(fixture.server.store().snapshot("Patient"), stored);
    }
  }

  private static Optional<StoredDocument> stored(PipelineFixture fixture, String id) {
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(fixture.database)) {
      return reader.hasTable("Patient") ? reader.read("Patient", id) : Optional.empty();
    }
  }

  private static void awaitTrue(Supplier<Boolean> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static long endOffset(Pipeline pipeline, String topic) throws Exception {
    try (Admin admin = KafkaClients.admin(pipeline.hub())) {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(request).all().get().values().stream()
          .mapToLong(info -> info.offset())
          .sum();
    }
  }

  private int put(URI url, String body, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/fhir+json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int post(URI url, String authorization) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int delete(URI url, String authorization) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(url).header("Authorization", authorization).DELETE().build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}

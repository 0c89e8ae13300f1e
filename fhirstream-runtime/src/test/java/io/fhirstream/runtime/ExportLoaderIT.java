package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ExportOptions;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.kafka.publish.KafkaCursorStore;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.export.ExportConfig;
import io.fhirstream.source.export.ExportLoader;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code $export} client against the demo server over HTTP, publishing into the real broker:
 * kick-off, status polls honouring Retry-After (seconds and HTTP-date), multi-file manifests, the
 * hand-over, and what reaches a file origin other than the FHIR server's (a second Jetty on
 * 127.0.0.1 that records request headers and serves the NDJSON).
 */
class ExportLoaderIT {
  private static final List<String> TYPES = SyntheticRecords.TYPES;
  private static final String TOKEN = "static-token-canary-7d1e";

  private final String prefix = "loader" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final List<AutoCloseable> closeLater = new CopyOnWriteArrayList<>();
  private final Map<String, String> fileRequests = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
  }

  private DemoFhirServer server(ExportOptions options, int records) {
    DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes(TYPES).port(0).export(options).build();
    Workload.builder()
        .direct(server.store())
        .generators(new SyntheticPatients(3), new SyntheticRecords(4))
        .types(TYPES)
        .seed(5)
        .build()
        .seed(server.store(), records);
    closeLater.add(server);
    return server.start();
  }

  private HubConfig hub() {
    Map<String, String> raw = new HashMap<>();
    raw.put("source.fhir.base-url", "http://127.0.0.1/fhir");
    raw.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
    raw.put("hub.topic-prefix", prefix + "fhir.");
    raw.put("hub.dead-letter-topic", prefix + "dead-letters");
    raw.put("hub.cursor-topic", prefix + "cursors");
    raw.put("store.sqlite.path", "unused.db");
    HubConfig hub = Settings.parse(raw).hub();
    TopicSetup.ensure(hub, TYPES);
    return hub;
  }

  private ExportLoader loader(HubConfig hub, String baseUrl, FhirCredentials credentials) {
    return loader(hub, baseUrl, credentials, ExportConfig.Level.SYSTEM);
  }

  private ExportLoader loader(
      HubConfig hub, String baseUrl, FhirCredentials credentials, ExportConfig.Level level) {
    URI base = URI.create(baseUrl);
    FhirHttpClient http =
        new FhirHttpClient(
            base,
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
            3,
            credentials);
    var producer = KafkaClients.producer(hub, "export-test");
    closeLater.add(producer);
    var cursorProducer = KafkaClients.producer(hub, "export-test-cursors");
    closeLater.add(cursorProducer);
    return new ExportLoader(
        baseUrl,
        http,
        new ExportConfig(level, Duration.ofSeconds(5), 10),
        JsonLimits.DEFAULT,
        new KafkaEventPublisher(producer, new EventCodec(hub, base, JsonLimits.DEFAULT)),
        new KafkaCursorStore(hub, cursorProducer),
        metrics);
  }

  @Test
  void pollsUntilDoneThenPublishesEveryFileAndHandsOverAtTheTransactionTime() throws Exception {
    DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withResourcesPerFile(7)
                .withJobDuration(Duration.ofMillis(2500)),
            30);
    server.store().delete("Patient", "1"); // deleted before the export: not in it
    HubConfig hub = hub();
    ExportLoader loader = loader(hub, server.baseUrl(), FhirCredentials.none());
    loader.requireServerSupport(URI.create(server.baseUrl()));
    Instant before = Instant.now();
    Map<String, Instant> cursors = new ConcurrentHashMap<>();

    loader.load(TYPES, cursors::put, () -> true);

    assertThat(Duration.between(before, Instant.now()))
        .as("waited for the job's 202s")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(server.exportKickOffs()).isEqualTo(1);
    assertThat(cursors.keySet()).containsExactlyInAnyOrderElementsOf(TYPES);
    assertThat(cursors.values().stream().distinct()).hasSize(1);
    assertThat(cursors.get("Patient")).isBetween(before.minusSeconds(1), Instant.now());
    for (String type : TYPES) {
      assertThat(published(hub, type)).as(type).isEqualTo(server.store().countCurrent(type));
    }
    assertThat(server.store().countCurrent("Patient")).as("several files").isGreaterThan(7);
    assertThat(metrics.counter("fhirstream.source.exported", "type", "Patient").count())
        .isEqualTo(server.store().countCurrent("Patient"));
  }

  @Test
  void aPatientLevelExportLoadsTheCompartmentTypes() throws Exception {
    DemoFhirServer server = server(ExportOptions.defaults(), 8);
    HubConfig hub = hub();
    Map<String, Instant> cursors = new ConcurrentHashMap<>();

    loader(hub, server.baseUrl(), FhirCredentials.none(), ExportConfig.Level.PATIENT)
        .load(TYPES, cursors::put, () -> true);

    assertThat(cursors.keySet()).containsExactlyInAnyOrderElementsOf(TYPES);
    for (String type : TYPES) {
      assertThat(published(hub, type)).as(type).isEqualTo(server.store().countCurrent(type));
    }
  }

  @Test
  void aRetryAfterHttpDateIsHonoured() {
    DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withRetryAfterAsDate(true)
                .withJobDuration(Duration.ofMillis(1500)),
            5);
    HubConfig hub = hub();
    Instant before = Instant.now();
    Map<String, Instant> cursors = new ConcurrentHashMap<>();

    loader(hub, server.baseUrl(), FhirCredentials.none()).load(TYPES, cursors::put, () -> true);

    assertThat(Duration.between(before, Instant.now()))
        .as("waited until the HTTP-date (about 2 s ahead), not the doubling 1 s")
        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    assertThat(cursors).hasSize(TYPES.size());
  }

  @Test
  void filesOnAnotherOriginGetNoTokenAndBadLinesAreSkipped() throws Exception {
    URI files =
        fileServer(
            "{\"resourceType\":\"Patient\",\"id\":\"a\",\"meta\":{\"versionId\":\"1\"}}\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"b\",\"name\":garbled\n"
                + "\n"
                + "{\"resourceType\":\"Patient\",\"id\":\"c\",\"meta\":{\"versionId\":\"2\"}}\n");
    DemoFhirServer server = server(ExportOptions.defaults().withFileBase(files), 3);
    HubConfig hub = hub();
    Map<String, Instant> cursors = new ConcurrentHashMap<>();

    try (LogCapture logs = new LogCapture()) {
      loader(hub, server.baseUrl(), FhirCredentials.bearer(new Secret(TOKEN)))
          .load(List.of("Patient"), cursors::put, () -> true);

      assertThat(fileRequests).as("file requests").isNotEmpty();
      assertThat(fileRequests.values()).as("Authorization sent").containsOnly("none");
      assertThat(published(hub, "Patient"))
          .as("the two good lines of each file")
          .isEqualTo(2L * fileRequests.size());
      assertThat(metrics.counter("fhirstream.source.export.skipped", "type", "Patient").count())
          .isEqualTo(fileRequests.size());
      assertThat(String.join("\n", logs.texts()))
          .contains("skipping line 2 of $export file 1 (Patient): not valid JSON")
          .doesNotContain("garbled")
          .doesNotContain(TOKEN);
    }
    assertThat(cursors).containsOnlyKeys("Patient");
  }

  /** A second HTTP server on 127.0.0.1 that serves the body for any path and records headers. */
  private URI fileServer(String ndjson) {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    jetty.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String auth = request.getHeaders().get("Authorization");
            fileRequests.put(
                request.getHttpURI().getPath(), auth == null ? "none" : "Authorization");
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "application/fhir+ndjson");
            response.write(
                true, ByteBuffer.wrap(ndjson.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    closeLater.add(jetty::stop);
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/storage");
  }

  private static long published(HubConfig hub, String type) throws Exception {
    try (Admin admin = KafkaClients.admin(hub)) {
      String topic = hub.topic(type);
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(request).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }
}

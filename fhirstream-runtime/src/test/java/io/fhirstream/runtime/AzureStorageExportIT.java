package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
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
import io.fhirstream.source.export.StorageAccess;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code $export} as Azure Health Data Services does it: the demo FHIR server puts each job's files
 * into a storage container, Azurite here, and its manifest names the blobs' URLs. fhirstream reads
 * them with the storage credential, never the FHIR token (the client sends one to the FHIR server;
 * Azurite's request log must not hold it).
 */
class AzureStorageExportIT {
  private static final List<String> TYPES = SyntheticRecords.TYPES;
  private static final String FHIR_TOKEN = "fhir-token-canary-4b2f9";
  private static AzuriteServer azurite;

  private final String prefix = "azexport" + UUID.randomUUID().toString().substring(0, 8) + ".";
  private final List<AutoCloseable> closeLater = new CopyOnWriteArrayList<>();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeAll
  static void startAzurite() throws Exception {
    azurite = AzuriteServer.start();
  }

  @AfterAll
  static void stopAzurite() {
    azurite.close();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
  }

  @Test
  void filesInAStorageAccountAreReadInParallelWithTheSasAndNeverTheFhirToken() throws Exception {
    BlobContainerClient container = azurite.container("export-" + suffix());
    DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withResourcesPerFile(5)
                .withBlobContainer(containerUrl(container, "cw")),
            20);
    HubConfig hub = hub();
    Map<String, Instant> cursors = new ConcurrentHashMap<>();
    StorageAccess storage =
        new StorageAccess(
            Optional.of(azurite.origin()),
            StorageAccess.Auth.SAS,
            Optional.of(new Secret(AzuriteServer.sas(container, "r"))),
            Optional.empty());

    loader(hub, server, ExportConfig.defaults().withParallelism(3).withStorage(storage))
        .load(TYPES, cursors::put, () -> true);

    assertThat(cursors.keySet()).containsExactlyInAnyOrderElementsOf(TYPES);
    for (String type : TYPES) {
      assertThat(published(hub, type)).as(type).isEqualTo(server.store().countCurrent(type));
    }
    assertThat(container.listBlobs().stream().count()).as("several files").isGreaterThan(3);
    String storageRequests = azurite.debugLog();
    assertThat(storageRequests).contains("GET").doesNotContain(FHIR_TOKEN);
  }

  @Test
  void withoutAStorageCredentialTheLoadStopsNamingTheSettings() {
    BlobContainerClient container = azurite.container("export-" + suffix());
    DemoFhirServer server =
        server(ExportOptions.defaults().withBlobContainer(containerUrl(container, "cw")), 3);

    ExportLoader loader = loader(hub(), server, ExportConfig.defaults());

    assertThatThrownBy(() -> loader.load(TYPES, (type, at) -> {}, () -> true))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("source.export.storage.url=" + azurite.origin())
        .hasMessageContaining("HTTP 403");
  }

  @Test
  void aJobThatFailsWith500EndsWithAClearErrorAndTheNextStartKicksOffANewJob() {
    DemoFhirServer server = server(ExportOptions.defaults().withFailingJobs(), 3);
    HubConfig hub = hub();

    assertThatThrownBy(
            () ->
                loader(hub, server, ExportConfig.defaults()).load(TYPES, (t, a) -> {}, () -> true))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("$export job failed")
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("the export storage account cannot be written");
    assertThatThrownBy(
            () ->
                loader(hub, server, ExportConfig.defaults()).load(TYPES, (t, a) -> {}, () -> true))
        .isInstanceOf(PipelineException.class);
    assertThat(server.exportKickOffs()).as("a new job on the second start").isEqualTo(2);
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

  private ExportLoader loader(HubConfig hub, DemoFhirServer server, ExportConfig config) {
    URI base = URI.create(server.baseUrl());
    FhirHttpClient http =
        new FhirHttpClient(
            base,
            Duration.ofSeconds(2),
            Duration.ofSeconds(10),
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
            3,
            FhirCredentials.bearer(new Secret(FHIR_TOKEN)));
    var producer = KafkaClients.producer(hub, "azure-export-test");
    closeLater.add(producer);
    var cursorProducer = KafkaClients.producer(hub, "azure-export-test-cursors");
    closeLater.add(cursorProducer);
    return new ExportLoader(
        server.baseUrl(),
        http,
        config,
        JsonLimits.DEFAULT,
        new KafkaEventPublisher(producer, new EventCodec(hub, base, JsonLimits.DEFAULT)),
        new KafkaCursorStore(hub, cursorProducer),
        metrics);
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

  private static URI containerUrl(BlobContainerClient container, String permissions) {
    return URI.create(
        container.getBlobContainerUrl() + "?" + AzuriteServer.sas(container, permissions));
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

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}

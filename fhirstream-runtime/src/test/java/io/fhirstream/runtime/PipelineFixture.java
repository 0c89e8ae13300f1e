package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A demo FHIR server, settings isolated by a unique topic prefix and group, and helpers to run the
 * pipeline and check the store against the server.
 */
final class PipelineFixture implements AutoCloseable {
  final DemoFhirServer server;
  final Workload workload;
  final String prefix = "it" + UUID.randomUUID().toString().substring(0, 8) + ".";
  final Path database;
  final Map<String, String> settings = new LinkedHashMap<>();

  PipelineFixture(Path dir) throws Exception {
    server = DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start();
    workload =
        Workload.builder()
            .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
            .generators(new SyntheticPatients(11), null)
            .seed(13)
            .build();
    database = dir.resolve("store.db");
    settings.putAll(testSettings(server.baseUrl(), prefix, database));
  }

  /**
   * Settings for a pipeline under test: the shared test broker, topics and group of its own under
   * {@code prefix}, short poll intervals, a SQLite store at {@code database}.
   */
  static Map<String, String> testSettings(String fhirBaseUrl, String prefix, Path database) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("source.fhir.base-url", fhirBaseUrl);
    settings.put("source.poll-interval", "200ms");
    settings.put("source.page-size", "100");
    settings.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
    settings.put("hub.topic-prefix", prefix + "fhir.");
    settings.put("hub.dead-letter-topic", prefix + "dead-letters");
    settings.put("hub.cursor-topic", prefix + "cursors");
    settings.put("sink.group-id", prefix + "sink");
    settings.put("store.sqlite.path", database.toString());
    settings.put("sink.poll-timeout", "100ms");
    return settings;
  }

  PipelineFixture withSettings(String key, String value) {
    settings.put(key, value);
    return this;
  }

  Pipeline start() {
    return start(EnumSet.of(Role.SOURCE, Role.SINK));
  }

  Pipeline start(Set<Role> roles) {
    return Pipeline.start(Settings.parse(settings), roles, new SimpleMeterRegistry());
  }

  String topic() {
    return prefix + "fhir.Patient";
  }

  /** Drains, then asserts the store equals the server: ids, versions, deletions and bodies. */
  void assertStoreEqualsServer(Pipeline pipeline, Path store) throws InterruptedException {
    assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90)))
        .as("pipeline drained")
        .isTrue();
    ConsistencyCheck.Result result;
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(store)) {
      result =
          ConsistencyCheck.compare(server.store().snapshot("Patient"), reader.readAll("Patient"));
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.consistent()).isTrue();
    assertThat(result.checked()).isEqualTo(server.store().snapshot("Patient").size());
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}

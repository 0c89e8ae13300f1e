package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.ServerCapabilities;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole patient records (patients, encounters, observations, conditions referring to them) through
 * the real pipeline: the demo FHIR server over HTTP, the real Kafka broker, SQLite. Each type has
 * its own topic, cursor and table, and the store equals the server for every type.
 */
class ManyResourceTypesIT {
  private static final List<String> RECORD = SyntheticRecords.TYPES;
  private static final List<String> SORTED =
      List.of("Condition", "Encounter", "Observation", "Patient");

  @TempDir Path dir;
  private final String prefix = "types" + UUID.randomUUID().toString().substring(0, 8) + ".";

  private Map<String, String> settings(DemoFhirServer server, String types, Path database) {
    Map<String, String> settings = PipelineFixture.testSettings(server.baseUrl(), prefix, database);
    settings.put("source.resource-types", types);
    return settings;
  }

  private static Workload workload(DemoFhirServer server) {
    return Workload.builder()
        .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
        .generators(new SyntheticPatients(11), new SyntheticRecords(12))
        .types(RECORD)
        .seed(13)
        .build();
  }

  private static DemoFhirServer recordServer() {
    return DemoFhirServer.builder().resourceTypes(RECORD).port(0).build().start();
  }

  /** Drains, then asserts the store equals the server for every type, and returns the check. */
  private static ConsistencyCheck.Result assertStoreEqualsServer(
      Pipeline pipeline, DemoFhirServer server, Path database, List<String> types)
      throws InterruptedException {
    assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90)))
        .as("pipeline drained")
        .isTrue();
    ConsistencyCheck.Result result;
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
      assertThat(reader.resourceTypes()).as("a table per type").containsAll(types);
      result = ConsistencyCheck.compareAll(types, server.store()::snapshot, reader::readAll);
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.consistent()).isTrue();
    assertThat(result.checked())
        .isEqualTo(types.stream().mapToInt(t -> server.store().snapshot(t).size()).sum());
    return result;
  }

  @Test
  void everyTypeHasItsOwnTopicCursorAndTableAndTheStoreEqualsTheServer() throws Exception {
    Path database = dir.resolve("store.db");
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    try (DemoFhirServer server = recordServer()) {
      Workload workload = workload(server);
      workload.seed(server.store(), 25); // before the start: loaded by the first load
      try (Pipeline pipeline =
          Pipeline.start(
              Settings.parse(settings(server, String.join(",", RECORD), database)),
              EnumSet.of(Role.SOURCE, Role.SINK),
              metrics)) {
        for (String type : RECORD) {
          for (int i = 0; i < 5; i++) {
            workload.create(type);
            workload.update(type);
          }
          for (int i = 0; i < 3; i++) {
            workload.delete(type); // a patient's deletion takes its record with it
          }
          workload.recreate(type);
        }
        for (int i = 0; i < 600; i++) {
          workload.randomChange();
        }

        assertStoreEqualsServer(pipeline, server, database, RECORD);
        assertThat(pipeline.resourceTypes()).containsExactlyElementsOf(RECORD);
        for (String type : RECORD) {
          assertThat(workload.changes(type, 2)).as("%s deletes", type).isPositive();
          assertThat(workload.changes(type, 3)).as("%s re-creates", type).isPositive();
          assertThat(server.store().countDeleted(type)).as("%s deleted", type).isPositive();
          assertThat(FhirSources.cursor(pipeline, type)).as("%s cursor", type).isNotNull();
        }
        // One counter per reason, registered at the first dead letter of that reason: none here.
        assertThat(
                metrics.find("fhirstream.sink.dead-letters").counters().stream()
                    .mapToDouble(Counter::count)
                    .sum())
            .isEqualTo(0.0);
        try (Admin admin =
            Admin.create(Map.of("bootstrap.servers", TestBroker.bootstrapServers()))) {
          Set<String> topics = admin.listTopics().names().get();
          for (String type : RECORD) {
            assertThat(topics).contains(prefix + "fhir." + type);
          }
        }
      }
      try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
        // Observations refer to their patients; the store keeps the reference as the server sent
        // it.
        StoredDocument observation =
            reader.readAll("Observation").values().stream()
                .filter(d -> !d.deleted())
                .findFirst()
                .orElseThrow();
        assertThat(observation.resource()).contains("\"subject\":{\"reference\":\"Patient/");
      }
    }
  }

  @Test
  void starResolvesFromTheDemoServersCapabilityStatementForSourceAndSink() throws Exception {
    Path database = dir.resolve("star.db");
    try (DemoFhirServer server = recordServer()) {
      Map<String, String> settings = settings(server, "*", database);
      SourceConfig source = FhirSources.config(settings);
      assertThat(
              ServerCapabilities.probe(FhirContext.forR4Cached(), source, Optional.empty())
                  .keySet())
          .containsExactlyElementsOf(SORTED);

      Workload workload = workload(server);
      workload.seed(server.store(), 10);
      try (Pipeline pipeline =
          Pipeline.start(
              Settings.parse(settings),
              EnumSet.of(Role.SOURCE, Role.SINK),
              new SimpleMeterRegistry())) {
        assertThat(pipeline.resourceTypes()).containsExactlyElementsOf(SORTED);
        for (int i = 0; i < 300; i++) {
          workload.randomChange();
        }
        assertStoreEqualsServer(pipeline, server, database, SORTED);
      }

      // A sink-only instance resolves * too, and subscribes to every type's topic.
      Path replayed = dir.resolve("replayed.db");
      settings.put("store.sqlite.path", replayed.toString());
      settings.put("sink.group-id", prefix + "replay");
      try (Pipeline sink =
          Pipeline.start(
              Settings.parse(settings), EnumSet.of(Role.SINK), new SimpleMeterRegistry())) {
        assertThat(sink.resourceTypes()).containsExactlyElementsOf(SORTED);
        assertStoreEqualsServer(sink, server, replayed, SORTED);
      }
    }
  }

  @Test
  void aListedTypeTheServerDoesNotOfferStopsTheStartNamingTheKey() {
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient", "Encounter").port(0).build().start()) {
      Map<String, String> settings =
          settings(server, "Patient,Observation", dir.resolve("never.db"));

      assertThatThrownBy(
              () ->
                  Pipeline.start(
                      Settings.parse(settings),
                      EnumSet.of(Role.SOURCE, Role.SINK),
                      new SimpleMeterRegistry()))
          .isInstanceOf(PipelineException.class)
          .hasMessageStartingWith("source.resource-types:")
          .hasMessageContaining("does not list Observation in its CapabilityStatement")
          .hasMessageContaining("remove it from source.resource-types");
    }
  }
}

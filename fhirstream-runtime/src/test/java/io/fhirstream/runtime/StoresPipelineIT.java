package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.store.cosmos.CosmosTestServer;
import io.fhirstream.store.postgres.PostgresTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline (demo FHIR server over HTTP, real Kafka broker) into the production stores,
 * chosen by configuration alone: {@code store.type} and the store's own keys.
 */
class StoresPipelineIT {
  @TempDir Path dir;

  @Test
  void postgresEqualsServer() throws Exception {
    PostgresTestServer postgres = PostgresTestServer.shared();
    Path password = Files.writeString(dir.resolve("pg-password"), postgres.sinkPassword());
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      String schema = fixture.prefix.replace(".", "").toLowerCase();
      fixture
          .withSettings("store.type", "postgres")
          .withSettings("store.postgres.url", postgres.url())
          .withSettings("store.postgres.user", PostgresTestServer.SINK_ROLE)
          .withSettings("store.postgres.password-file", password.toString())
          .withSettings("store.postgres.schema", schema);
      try (Pipeline pipeline = fixture.start()) {
        runWorkload(fixture);
        assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90))).isTrue();
      }
      Map<String, StoredDocument> stored = new HashMap<>();
      try (Connection connection = postgres.superuser();
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT id, version_id, deleted, resource::text FROM \""
                      + schema
                      + "\".\"Patient\"")) {
        while (rows.next()) {
          String id = rows.getString(1);
          stored.put(
              id,
              new StoredDocument(
                  "Patient", id, rows.getString(2), null, rows.getBoolean(3), rows.getString(4)));
        }
      }
      ConsistencyCheck.Result result =
          ConsistencyCheck.compare(fixture.server.store().snapshot("Patient"), stored);
      assertThat(result.problems()).isEmpty();
      assertThat(result.checked()).isEqualTo(300);
    }
  }

  @Test
  void cosmosHoldsEveryVersionAndDeletionOfTheServer() throws Exception {
    CosmosTestServer cosmos = CosmosTestServer.shared();
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      String database = fixture.prefix.replace(".", "");
      fixture
          .withSettings("store.type", "cosmos")
          .withSettings("store.cosmos.endpoint", cosmos.endpoint())
          .withSettings("store.cosmos.key", cosmos.key().value())
          .withSettings("store.cosmos.connection-mode", "gateway")
          .withSettings("store.cosmos.database", database);
      try (Pipeline pipeline = fixture.start()) {
        runWorkload(fixture);
        assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(120))).isTrue();
      }
      Map<String, ResourceVersion> server = fixture.server.store().snapshot("Patient");
      try (CosmosClient reader =
          new CosmosClientBuilder()
              .endpoint(cosmos.endpoint())
              .key(cosmos.key().value())
              .gatewayMode()
              .buildClient()) {
        var container = reader.getDatabase(database).getContainer("Patient");
        for (ResourceVersion expected : server.values()) {
          JsonNode item;
          try {
            item =
                container
                    .readItem(expected.id(), new PartitionKey(expected.id()), ObjectNode.class)
                    .getItem();
          } catch (CosmosException e) {
            assertThat(e.getStatusCode()).as("read of %s", expected.id()).isEqualTo(404);
            assertThat(expected.deleted()).as("%s missing from the store", expected.id()).isTrue();
            continue;
          }
          JsonNode ours = item.path("_fhirstream");
          assertThat(ours.path("versionId").asText())
              .as("version of %s", expected.id())
              .isEqualTo(Long.toString(expected.versionId()));
          assertThat(ours.path("deleted").asBoolean())
              .as("deleted %s", expected.id())
              .isEqualTo(expected.deleted());
          if (!expected.deleted()) {
            assertThat(item.path("resourceType").asText()).isEqualTo("Patient");
            assertThat(item.path("meta").path("versionId").asText())
                .isEqualTo(Long.toString(expected.versionId()));
          }
        }
      }
    }
  }

  /** Creates, several updates per patient, deletions and re-creations. */
  private static void runWorkload(PipelineFixture fixture) {
    for (int i = 0; i < 300; i++) {
      fixture.workload.create();
    }
    for (int i = 0; i < 200; i++) {
      fixture.workload.update();
    }
    for (int i = 0; i < 30; i++) {
      fixture.workload.delete();
    }
    for (int i = 0; i < 5; i++) {
      fixture.workload.recreate();
    }
  }
}

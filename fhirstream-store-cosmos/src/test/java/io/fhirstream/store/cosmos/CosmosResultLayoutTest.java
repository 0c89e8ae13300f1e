package io.fhirstream.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The results layout docs/stores/cosmos.md documents, read with a plain client as a person with the
 * Data Explorer would, and how a replacement an outage interrupted is finished.
 */
class CosmosResultLayoutTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
  private static final ViewTable VIEW =
      new ViewTable(
          "patient_names",
          List.of(
              new Column("id", ColumnType.TEXT),
              new Column("weight", ColumnType.DECIMAL),
              new Column("given", ColumnType.JSON)));

  private static CosmosTestServer server;
  private static CosmosClient plain;
  private String database;
  private CosmosResultWriter writer;

  @BeforeAll
  static void start() {
    server = CosmosTestServer.shared();
    plain =
        new CosmosClientBuilder()
            .endpoint(server.endpoint())
            .key(server.key().value())
            .gatewayMode()
            .buildClient();
  }

  @AfterAll
  static void stop() {
    plain.close();
  }

  @BeforeEach
  void open() {
    database = "layout-" + DATABASES.incrementAndGet();
    writer = new CosmosResultWriter(server.config(database));
    writer.open(() -> (event, reason) -> {});
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private CosmosContainer container(String name) {
    return plain.getDatabase(database).getContainer(name);
  }

  private List<ObjectNode> query(String container, String sql) {
    return container(container)
        .queryItems(sql, new CosmosQueryRequestOptions(), ObjectNode.class)
        .stream()
        .toList();
  }

  private static SourceVersion version(String key, int version) {
    return new SourceVersion(key, Integer.toString(version), T0.plusSeconds(version), false);
  }

  private static List<Object> row(String id) {
    return List.of(id, new BigDecimal("72.50"), List.of("Ann"));
  }

  private List<String> ids(String key) {
    return query(
            VIEW.name(), "SELECT c.columns.id, c._row FROM c WHERE c._resource_key = '" + key + "'")
        .stream()
        .sorted((a, b) -> a.path("_row").asInt() - b.path("_row").asInt())
        .map(item -> item.path("id").asText())
        .toList();
  }

  @Test
  void rowsAreItemsQueryableWithCosmosSql() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 3), List.of(row("a"), row("b")));
    writer.putResult(
        "by_family",
        "by_family|Müller/Ö",
        4,
        "{\"count\":2,\"mean\":1.50}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    ObjectNode first =
        container(VIEW.name())
            .readItem("Patient%2F1|0", new PartitionKey("Patient/1"), ObjectNode.class)
            .getItem();
    assertThat(first.path("_resource_key").asText()).isEqualTo("Patient/1");
    assertThat(first.path("_row").asInt()).isZero();
    assertThat(first.path("columns").path("id").asText()).isEqualTo("a");
    assertThat(first.path("columns").path("weight").asDouble()).isEqualTo(72.5);
    assertThat(first.path("_exact").path("/weight").asText()).isEqualTo("72.50");
    assertThat(first.path("columns").path("given").get(0).asText()).isEqualTo("Ann");
    assertThat(ids("Patient/1")).containsExactly("a", "b");

    ObjectNode version =
        container(ResultNames.VIEW_VERSIONS)
            .readItem(
                "patient_names|Patient%2F1",
                new PartitionKey("patient_names|Patient%2F1"), ObjectNode.class)
            .getItem();
    assertThat(version.path("versionId").asText()).isEqualTo("3");
    assertThat(version.path("pending").asBoolean()).isFalse();
    assertThat(version.path("rows").asInt()).isEqualTo(2);

    List<ObjectNode> results =
        query(
            ResultNames.AGGREGATE_RESULTS,
            "SELECT c.id, c.resultId, c.version, c.document.count FROM c"
                + " WHERE c.aggregate = 'by_family' AND c.deleted = false");
    assertThat(results).hasSize(1);
    assertThat(results.get(0).path("id").asText())
        .isEqualTo("by_family|by_family|M%C3%BCller%2F%C3%96");
    assertThat(results.get(0).path("resultId").asText()).isEqualTo("by_family|Müller/Ö");
    assertThat(results.get(0).path("count").asInt()).isEqualTo(2);
  }

  @Test
  void aReplacementAnOutageInterruptedIsFinishedByTheRedeliveryOfItsVersion() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("A"), row("B"), row("C")));
    writer.flush();
    // The state a flush leaves when it stops after marking version 2 pending (with room for four
    // rows) and writing a row index no version kept.
    container(ResultNames.VIEW_VERSIONS)
        .upsertItem(
            ResultItems.version(VIEW.name(), version("Patient/1", 2), true, 4),
            new PartitionKey("patient_names|Patient%2F1"),
            new CosmosItemRequestOptions());
    container(VIEW.name())
        .upsertItem(
            ResultItems.row(VIEW, "Patient/1", 3, row("Orphan")),
            new PartitionKey("Patient/1"),
            new CosmosItemRequestOptions());

    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("Old")));
    writer.flush();
    assertThat(ids("Patient/1")).containsExactly("A", "B", "C", "Orphan");

    writer.replaceRows(VIEW.name(), version("Patient/1", 2), List.of(row("Two")));
    writer.flush();
    assertThat(ids("Patient/1")).containsExactly("Two");

    writer.replaceRows(VIEW.name(), version("Patient/1", 2), List.of(row("Again")));
    writer.flush();
    assertThat(ids("Patient/1")).containsExactly("Two");
  }

  @Test
  void theDocumentReaderListsNoResultContainerAsAResourceType() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("A")));
    writer.putResult("by_family", "x", 1, "{}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    try (CosmosDocumentReader documents = CosmosDocumentReader.open(server.config(database))) {
      assertThat(documents.resourceTypes()).isEmpty();
    }
  }

  @Test
  void aDeletedContainerIsRebuiltByTheNextDeliveryWithItsNewTypes() {
    writer.defineView(VIEW);
    SourceVersion v1 = version("Patient/1", 1);
    writer.replaceRows(VIEW.name(), v1, List.of(row("A")));
    writer.flush();
    ViewTable changed =
        new ViewTable(
            VIEW.name(),
            List.of(new Column("id", ColumnType.TEXT), new Column("weight", ColumnType.TEXT)));
    assertThatThrownBy(() -> writer.defineView(changed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("column weight holds number values")
        .hasMessageContaining("delete the container " + database + "/patient_names");

    container(VIEW.name()).delete();
    writer.defineView(changed);
    writer.replaceRows(VIEW.name(), v1, List.of(List.of("A", "72.5 kg")));
    writer.flush();

    assertThat(query(VIEW.name(), "SELECT c.columns.weight FROM c"))
        .extracting(item -> item.path("weight").asText())
        .containsExactly("72.5 kg");
  }

  @Test
  void aResultThatIsNotAJsonObjectIsRefusedNamingAggregateAndId() {
    writer.putResult("by_family", "by_family|x", 1, "[1,2]".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> writer.flush())
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("the result by_family|x of aggregate by_family")
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void idsTooLongForCosmosAreHashedAndStillReadBackByTheirOwnId() {
    String id = "by_family|" + "é".repeat(200);
    writer.putResult("by_family", id, 1, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    List<ObjectNode> stored =
        query(ResultNames.AGGREGATE_RESULTS, "SELECT c.id, c.resultId FROM c");
    assertThat(stored.get(0).path("id").asText()).startsWith("by_family|~sha256-").hasSize(82);
    try (CosmosResultReader reader = CosmosResultReader.open(server.config(database))) {
      assertThat(reader.results("by_family")).containsOnlyKeys(id);
    }
  }
}

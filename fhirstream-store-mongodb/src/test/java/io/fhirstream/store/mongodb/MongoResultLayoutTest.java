package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The results layout docs/stores/mongodb.md documents, read with the plain driver as a person with
 * mongosh would, and how a replacement an outage interrupted is finished.
 */
class MongoResultLayoutTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
  private static final ViewTable VIEW =
      new ViewTable(
          "patient_names",
          List.of(
              new Column("family", ColumnType.TEXT),
              new Column("weight", ColumnType.DECIMAL),
              new Column("given", ColumnType.JSON)));

  private final MongoTestServer server = MongoTestServer.shared();
  private String database;
  private MongoResultWriter writer;
  private MongoClient plain;

  @BeforeEach
  void open() {
    database = "layout" + DATABASES.incrementAndGet();
    writer = new MongoResultWriter(server.config(database));
    writer.open(() -> (event, reason) -> {});
    plain = MongoClients.create(server.connectionString());
  }

  @AfterEach
  void close() {
    writer.close();
    plain.close();
  }

  private MongoDatabase db() {
    return plain.getDatabase(database);
  }

  private static SourceVersion version(String key, int version) {
    return new SourceVersion(key, Integer.toString(version), T0.plusSeconds(version), false);
  }

  private static List<Object> row(String family) {
    return List.of(family, new BigDecimal("72.50"), List.of("Ann"));
  }

  private List<String> families(String key) {
    List<String> families = new ArrayList<>();
    db().getCollection(VIEW.name())
        .find(Filters.eq("_resource_key", key))
        .sort(Sorts.ascending("_row"))
        .forEach(document -> families.add(document.getString("family")));
    return families;
  }

  @Test
  void rowsAreDocumentsQueryableWithThePlainDriver() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 3), List.of(row("Abshire"), row("Koepp")));
    writer.putResult(
        "by_family", "by_family|Abshire", 4, "{\"count\":2}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    Document first = db().getCollection(VIEW.name()).find(Filters.eq("_id", "Patient/1#0")).first();
    assertThat(first.getString("_resource_key")).isEqualTo("Patient/1");
    assertThat(first.getInteger("_row")).isZero();
    assertThat(first.get("weight")).isEqualTo(new Decimal128(new BigDecimal("72.50")));
    assertThat(first.getList("given", String.class)).containsExactly("Ann");
    assertThat(families("Patient/1")).containsExactly("Abshire", "Koepp");
    Document version =
        db().getCollection(ResultNames.VIEW_VERSIONS)
            .find(Filters.eq("_id", "patient_names|Patient/1"))
            .first();
    assertThat(version.getString("versionId")).isEqualTo("3");
    assertThat(version.getBoolean("pending")).isFalse();
    Document result =
        db().getCollection(ResultNames.AGGREGATE_RESULTS)
            .find(Filters.eq("_id", "by_family|by_family|Abshire"))
            .first();
    assertThat(result.getLong("version")).isEqualTo(4);
    assertThat(result.get("document", Document.class).getInteger("count")).isEqualTo(2);
    Document definition =
        db().getCollection(ResultNames.VIEW_DEFINITIONS)
            .find(Filters.eq("_id", VIEW.name()))
            .first();
    assertThat(definition.getList("columns", Document.class))
        .extracting(column -> column.getString("name") + ":" + column.getString("type"))
        .containsExactly("family:string", "weight:decimal", "given:array");
  }

  @Test
  void aReplacementAnOutageInterruptedIsFinishedByTheRedeliveryOfItsVersion() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("A"), row("B"), row("C")));
    writer.flush();
    // The state a flush leaves when it stops after marking version 2 pending and writing one of
    // its rows plus a row index no version kept.
    db().getCollection(ResultNames.VIEW_VERSIONS, BsonDocument.class)
        .updateOne(
            Filters.eq("_id", "patient_names|Patient/1"),
            new BsonDocument(
                "$set", ResultLayout.versionFields(VIEW.name(), version("Patient/1", 2), true)));
    db().getCollection(VIEW.name(), BsonDocument.class)
        .insertOne(
            new BsonDocument("_id", new BsonString("Patient/1#3"))
                .append("_resource_key", new BsonString("Patient/1"))
                .append("_row", new BsonInt32(3))
                .append("family", new BsonString("Orphan")));

    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("Old")));
    writer.flush();
    assertThat(families("Patient/1")).containsExactly("A", "B", "C", "Orphan");

    writer.replaceRows(VIEW.name(), version("Patient/1", 2), List.of(row("Two")));
    writer.flush();
    assertThat(families("Patient/1")).containsExactly("Two");
    assertThat(
            db().getCollection(ResultNames.VIEW_VERSIONS, BsonDocument.class)
                .find(Filters.eq("_id", "patient_names|Patient/1"))
                .first()
                .get("pending"))
        .isEqualTo(BsonBoolean.FALSE);

    writer.replaceRows(VIEW.name(), version("Patient/1", 2), List.of(row("Again")));
    writer.flush();
    assertThat(families("Patient/1")).containsExactly("Two");
  }

  @Test
  void theDocumentReaderListsNoResultCollectionAsAResourceType() {
    writer.defineView(VIEW);
    writer.replaceRows(VIEW.name(), version("Patient/1", 1), List.of(row("A")));
    writer.putResult("by_family", "x", 1, "{}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    try (MongoDocumentReader documents = MongoDocumentReader.open(server.config(database))) {
      assertThat(documents.resourceTypes()).isEmpty();
    }
  }

  @Test
  void aDroppedCollectionIsRebuiltByTheNextDeliveryWithItsNewTypes() {
    writer.defineView(VIEW);
    SourceVersion v1 = version("Patient/1", 1);
    writer.replaceRows(VIEW.name(), v1, List.of(row("A")));
    writer.flush();
    ViewTable changed =
        new ViewTable(
            VIEW.name(),
            List.of(new Column("family", ColumnType.TEXT), new Column("weight", ColumnType.TEXT)));
    assertThatThrownBy(() -> writer.defineView(changed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("column weight holds decimal values")
        .hasMessageContaining("db.patient_names.drop()");

    db().getCollection(VIEW.name()).drop();
    writer.defineView(changed);
    writer.replaceRows(VIEW.name(), v1, List.of(List.of("A", "72.5 kg")));
    writer.flush();

    assertThat(db().getCollection(VIEW.name()).find().first().getString("weight"))
        .isEqualTo("72.5 kg");
  }

  @Test
  void aCollectionOfThatNameThatIsNotAViewsIsRefused() {
    db().getCollection(VIEW.name()).insertOne(new Document("_id", "someone else's"));

    assertThatThrownBy(() -> writer.defineView(VIEW))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("that is not a view's");
  }

  @Test
  void aResultThatIsNotAJsonObjectIsRefusedNamingAggregateAndId() {
    writer.putResult("by_family", "by_family|x", 1, "[1,2]".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> writer.flush())
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("the result by_family|x of aggregate by_family")
        .hasMessageContaining("not a JSON object");
  }
}

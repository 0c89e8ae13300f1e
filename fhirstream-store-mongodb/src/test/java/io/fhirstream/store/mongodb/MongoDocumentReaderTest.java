package io.fhirstream.store.mongodb;

import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.DocumentReaderContract;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.StoredDocument;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The MongoDB reader against the contract, a fresh database per test on mongo-java-server, and
 * against the plain driver on the documented fields.
 */
class MongoDocumentReaderTest extends DocumentReaderContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String PASSWORD = "reader-secret-Zq8";
  private final MongoTestServer server = MongoTestServer.shared();
  private String database;

  @Override
  protected DocumentWriter newWriter() {
    database = "reader" + DATABASES.incrementAndGet();
    return new MongoDocumentWriter(server.config(database));
  }

  @Override
  protected DocumentReader newReader() {
    return MongoDocumentReader.open(server.config(database));
  }

  /** Documents are parsed into BSON. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  @Test
  void readsWhatThePlainDriverReadsFromTheDocumentedFields() {
    Instant precise = Instant.parse("2024-05-01T08:00:00.123456789Z");
    writeAndFlush(
        patientVersion("p1", 2),
        patientDeletion("p2", 3),
        FhirFixtures.resource("Patient", "p3", "x", precise));

    try (MongoClient plain = MongoClients.create(server.connectionString())) {
      int seen = 0;
      for (BsonDocument stored :
          plain.getDatabase(database).getCollection("Patient", BsonDocument.class).find()) {
        seen++;
        StoredDocument read =
            reader().read("Patient", stored.getString("_id").getValue()).orElseThrow();
        assertThat(read.versionId()).isEqualTo(stored.getString("versionId").getValue());
        assertThat(read.lastUpdated())
            .isEqualTo(
                Instant.ofEpochSecond(
                    stored.getInt64("lastUpdatedSeconds").getValue(),
                    stored.getInt32("lastUpdatedNanos").getValue()));
        assertThat(read.deleted()).isEqualTo(stored.getBoolean("deleted").getValue());
        BsonDocument resource = stored.getDocument("resource", null);
        assertThat(read.resource())
            .isEqualTo(
                resource == null
                    ? null
                    : new String(BsonToJson.toJson(resource), StandardCharsets.UTF_8));
      }
      assertThat(seen).isEqualTo(3);
    }
    assertThat(reader().read("Patient", "p3").orElseThrow().lastUpdated()).isEqualTo(precise);
  }

  @Test
  void keysStoredEscapedComeBackAsWritten() {
    String json =
        "{\"resourceType\":\"Patient\",\"id\":\"k1\",\"meta\":{\"versionId\":\"1\"},"
            + "\"extension\":[{\"url\":\"x\",\"$where\":\"sleep(1000)\",\"a.b\":\"dot\","
            + "\"%\":\"percent\",\"\":\"empty\"}]}";
    ChangeEvent event =
        ChangeEvent.upsert(
            "Patient", "k1", "1", FhirFixtures.T0, json.getBytes(StandardCharsets.UTF_8));
    writeAndFlush(event);

    assertStored(event);
  }

  @Test
  void resourceTypesLeaveOutCollectionsThatAreNotTypes() {
    writeAndFlush(patientVersion("p1", 1));
    try (MongoClient plain = MongoClients.create(server.connectionString())) {
      MongoDatabase db = plain.getDatabase(database);
      db.getCollection("fhirstream_ceiling_1").insertOne(new org.bson.Document("_id", "x"));
      db.getCollection("notes").insertOne(new org.bson.Document("_id", "y"));
    }

    assertThat(reader().resourceTypes()).containsExactly("Patient");
  }

  @Test
  void documentsOfOtherToolsWithoutAStringIdArePassedOver() {
    writeAndFlush(patientVersion("p1", 1));
    try (MongoClient plain = MongoClients.create(server.connectionString())) {
      plain
          .getDatabase(database)
          .getCollection("Patient", BsonDocument.class)
          .insertOne(
              new BsonDocument("_id", new org.bson.BsonInt32(7)).append("x", new BsonString("y")));
    }

    assertThat(reader().readAll("Patient")).containsOnlyKeys("p1");
  }

  @Test
  void namesThatAreNotResourceTypesNeverReachTheServer() {
    writeAndFlush(patientVersion("p1", 1));

    assertThat(reader().read("$cmd", "p1")).isEmpty();
    assertThat(reader().count("system.users")).isZero();
    assertThat(reader().readAll("patient")).isEmpty();
  }

  @Test
  void databaseNeverWrittenIsAPipelineExceptionNamingIt() {
    MongoStoreConfig config = server.config("never_written");

    assertThatThrownBy(() -> MongoDocumentReader.open(config))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("never_written")
        .hasMessageContaining(MongoStoreConfig.DATABASE);
  }

  @Test
  void unreachableServerIsRetriableWithoutThePassword() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MongoStoreConfig config =
        MongoStoreConfig.of("mongodb://fhir:" + PASSWORD + "@127.0.0.1:" + closedPort + "/")
            .withServerSelectionTimeout(Duration.ofMillis(500));

    assertThatThrownBy(() -> MongoDocumentReader.open(config))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageNotContaining(PASSWORD)
        .satisfies(
            thrown -> assertThat(String.valueOf(thrown.getCause())).doesNotContain(PASSWORD));
  }

  @Test
  void credentialsTheServerCannotCheckAreAPipelineExceptionWithoutThePassword() {
    MongoStoreConfig config =
        MongoStoreConfig.of(
                "mongodb://fhir:" + PASSWORD + "@127.0.0.1:" + server.port() + "/?authSource=admin")
            .withDatabase("anything")
            .withServerSelectionTimeout(Duration.ofMillis(1000));

    // mongo-java-server has no authentication, so the driver's SASL exchange fails.
    assertThatThrownBy(() -> MongoDocumentReader.open(config))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void anOutageFailsAsRetriableAndTheSameReaderReadsAgainAfterIt() throws Exception {
    ChangeEvent event = patientVersion("p1", 1);
    writeAndFlush(event);
    assertStored(event);

    try (AutoCloseable outage = server.outage()) {
      assertThatThrownBy(() -> reader().read("Patient", "p1"))
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("database " + database);
    }
    assertStored(event);
  }
}

package io.fhirstream.store.mongodb;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.WriterContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the store does with refusals, hostile input, lost servers and credentials. */
class MongoWriterFailureTest {
  private static final String PASSWORD = "pw-7f3a9c1e-SECRET";
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static MongoTestServer server;

  private final List<String> deadLetters = new ArrayList<>();
  private final WriterContext context =
      () -> (event, reason) -> deadLetters.add(event.versionedReference() + ": " + reason);
  private String database;
  private MongoClient reader;
  private MongoDocumentWriter writer;

  @BeforeAll
  static void startServer() {
    server = MongoTestServer.shared();
  }

  @BeforeEach
  void openReader() {
    database = "failure" + DATABASES.incrementAndGet();
    reader = MongoClients.create(server.connectionString());
  }

  @AfterEach
  void closeAll() {
    if (writer != null) {
      writer.close();
    }
    reader.close();
  }

  private MongoDocumentWriter open(MongoStoreConfig config) {
    writer = new MongoDocumentWriter(config);
    writer.open(context);
    return writer;
  }

  private BsonDocument stored(String type, String id) {
    return reader
        .getDatabase(database)
        .getCollection(type, BsonDocument.class)
        .find(new BsonDocument("_id", new org.bson.BsonString(id)))
        .first();
  }

  private static ChangeEvent patient(String id, String json) {
    return ChangeEvent.upsert("Patient", id, "1", T0, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eventsTheStoreCannotTakeAreDeadLetteredAndTheRestIsWritten() {
    open(server.config(database));
    ChangeEvent a = patientVersion("a", 1);
    ChangeEvent b = patientVersion("b", 1);
    List<ChangeEvent> refused =
        List.of(
            ChangeEvent.upsert("system.users", "x", "1", T0, "{}".getBytes(StandardCharsets.UTF_8)),
            ChangeEvent.upsert("$cmd", "x", "1", T0, "{}".getBytes(StandardCharsets.UTF_8)),
            patient("notjson", "{\"family\":\"Secret"),
            patient("dup", "{\"family\":\"Secret\",\"family\":\"Other\"}"));
    List<ChangeEvent> batch = new ArrayList<>(List.of(a));
    batch.addAll(refused);
    batch.add(b);

    writer.write(batch);
    writer.flush();

    assertThat(stored("Patient", "a")).isNotNull();
    assertThat(stored("Patient", "b")).isNotNull();
    assertThat(stored("Patient", "notjson")).isNull();
    assertThat(reader.getDatabase(database).listCollectionNames().into(new ArrayList<>()))
        .containsExactly("Patient");
    assertThat(deadLetters).hasSize(4).noneMatch(reason -> reason.contains("Secret"));
    assertThat(deadLetters.get(0)).startsWith("system.users/x/_history/1: resourceType");
  }

  @Test
  void aDocumentTheServerRefusesIsDeadLetteredWithoutQuotingIt() {
    reader
        .getDatabase(database)
        .getCollection("Patient")
        .createIndex(
            Indexes.ascending("resource.identifier.value"), new IndexOptions().unique(true));
    open(server.config(database));
    String withMrn = "{\"resourceType\":\"Patient\",\"identifier\":[{\"value\":\"MRN-4711\"}]}";
    writer.write(List.of(patient("first", withMrn)));
    writer.flush();

    writer.write(List.of(patient("second", withMrn), patient("third", "{\"ok\":true}")));
    writer.flush();

    assertThat(stored("Patient", "second")).isNull();
    assertThat(stored("Patient", "third")).isNotNull();
    assertThat(deadLetters)
        .singleElement()
        .satisfies(
            reason ->
                assertThat(reason)
                    .startsWith("Patient/second/_history/1: ")
                    .contains("unique index other than _id")
                    .doesNotContain("MRN-4711"));
  }

  @Test
  void hostileIdsKeysAndVersionsAreStoredAsDataNeverAsOperators() throws Exception {
    open(server.config(database));
    ChangeEvent victim = patientVersion("victim", 5);
    writer.write(List.of(victim));
    writer.flush();
    String hostile =
        "{\"resourceType\":\"Patient\",\"$where\":\"function(){return true}\","
            + "\"$set\":{\"deleted\":true,\"resource\":null},\"a.b\":{\"c.d\":[{\"$\":1}]},"
            + "\"\":\"empty\",\"x\\u0000y\":\"nul\",\"$ref\":\"Patient\",\"$id\":\"victim\","
            + "\"deleted\":\"$deleted\",\"_id\":{\"$ne\":null}}";
    List<ChangeEvent> attacks = new ArrayList<>();
    for (String id : List.of("{\"$ne\":null}", "$where", "a.b", "$", "victim\u0000", "%24")) {
      attacks.add(ChangeEvent.upsert("Patient", id, "$gt", T0.plusSeconds(3600), bytes(hostile)));
    }
    attacks.add(ChangeEvent.upsert("Patient", "hostile", "9", T0, bytes(hostile)));

    writer.write(attacks);
    writer.flush();

    assertThat(deadLetters).isEmpty();
    BsonDocument untouched = stored("Patient", "victim");
    assertThat(untouched.getString("versionId").getValue()).isEqualTo("5");
    assertThat(untouched.getBoolean("deleted").getValue()).isFalse();
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(BsonToJson.toJson(untouched.getDocument("resource"))))
        .isEqualTo(json.readTree(victim.body()));
    for (ChangeEvent attack : attacks) {
      BsonDocument document = stored("Patient", attack.id());
      assertThat(document).as(attack.id()).isNotNull();
      assertThat(document.getString("versionId").getValue()).isEqualTo(attack.versionId());
      assertThat(json.readTree(BsonToJson.toJson(document.getDocument("resource"))))
          .isEqualTo(json.readTree(hostile));
    }
    assertThat(reader.getDatabase(database).getCollection("Patient").countDocuments())
        .isEqualTo(attacks.size() + 1);
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void batchesLargerThanTheBatchSizeAreSplitAndAllWritten() {
    open(server.config(database).withBatchSize(3));
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(patientVersion("p" + i, 1));
    }
    writer.write(events.subList(0, 2));
    writer.write(events.subList(2, 10));
    writer.flush();

    assertThat(reader.getDatabase(database).getCollection("Patient").countDocuments())
        .isEqualTo(10);
  }

  @Test
  void failingDeadLetterReporterPropagatesAndTheSinkGoesOn() {
    AtomicBoolean hubDown = new AtomicBoolean(true);
    writer = new MongoDocumentWriter(server.config(database));
    writer.open(
        () ->
            (event, reason) -> {
              if (hubDown.get()) {
                throw new RetriableException("dead-letter topic unavailable");
              }
              deadLetters.add(reason);
            });
    List<ChangeEvent> batch =
        List.of(patientVersion("a", 1), patient("bad", "[]"), patientVersion("b", 1));

    assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(RetriableException.class);
    hubDown.set(false);
    writer.write(batch);
    writer.flush();

    assertThat(stored("Patient", "a")).isNotNull();
    assertThat(stored("Patient", "b")).isNotNull();
    assertThat(deadLetters).hasSize(1);
  }

  @Test
  void unreachableServerIsRetriableAndThePasswordAppearsNowhere() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    MongoStoreConfig config =
        MongoStoreConfig.of("mongodb://fhir:" + PASSWORD + "@127.0.0.1:" + closedPort + "/")
            .withServerSelectionTimeout(Duration.ofMillis(500));

    String logs =
        capturingStandardError(
            () -> {
              MongoDocumentWriter unreachable = new MongoDocumentWriter(config);
              Throwable thrown = null;
              try {
                unreachable.open(context);
              } catch (RuntimeException e) {
                thrown = e;
              } finally {
                unreachable.close();
              }
              assertThat(thrown)
                  .isInstanceOf(RetriableException.class)
                  .hasMessageContaining("127.0.0.1:" + closedPort)
                  .hasMessageContaining(MongoStoreConfig.CONNECTION_STRING);
              assertThat(everything(thrown)).doesNotContain(PASSWORD);
            });
    assertThat(logs).contains("fhir").doesNotContain(PASSWORD);
  }

  @Test
  void outageAfterOpenIsRetriableNamingTheDatabaseAndHealsOnRedelivery() throws Exception {
    open(server.config(database));
    List<ChangeEvent> batch = List.of(patientVersion("a", 1));

    try (AutoCloseable outage = server.outage()) {
      assertThatThrownBy(
              () -> {
                writer.write(batch);
                writer.flush();
              })
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("database " + database)
          .hasMessageContaining("collection Patient");
    }
    writer.write(batch);
    writer.flush();

    assertThat(stored("Patient", "a")).isNotNull();
  }

  @Test
  void credentialsAreNeverInTheFailureWhenTheServerCannotAuthenticate() throws Exception {
    MongoStoreConfig config =
        MongoStoreConfig.of(
                "mongodb://fhir:" + PASSWORD + "@127.0.0.1:" + server.port() + "/?authSource=admin")
            .withDatabase(database)
            .withServerSelectionTimeout(Duration.ofMillis(1000));
    String logs =
        capturingStandardError(
            () -> {
              MongoDocumentWriter withCredentials = new MongoDocumentWriter(config);
              try {
                withCredentials.open(context);
                withCredentials.write(List.of(patientVersion("a", 1)));
                withCredentials.flush();
              } catch (RuntimeException e) {
                // mongo-java-server has no authentication, so the driver's SASL exchange fails.
                assertThat(e)
                    .isInstanceOf(PipelineException.class)
                    .hasMessageContaining("refused the credentials")
                    .hasMessageContaining(MongoStoreConfig.CONNECTION_STRING);
                assertThat(everything(e)).doesNotContain(PASSWORD);
              } finally {
                withCredentials.close();
              }
            });
    assertThat(logs).doesNotContain(PASSWORD);
  }

  /** Messages, toString and stack trace of the throwable and all its causes and suppressed. */
  private static String everything(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out + String.valueOf(thrown);
  }

  private interface Action {
    void run() throws Exception;
  }

  /** Runs the action with System.err captured (slf4j-simple logs there), and returns it. */
  private static String capturingStandardError(Action action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text;
  }

  @Test
  void theDatabaseHoldsOnlyFhirCollections() {
    open(server.config(database));
    writer.write(List.of(patientVersion("a", 1)));
    writer.flush();
    MongoDatabase db = reader.getDatabase(database);
    Set<String> names =
        db.listCollectionNames().into(new ArrayList<>()).stream().collect(Collectors.toSet());
    assertThat(names).containsExactly("Patient");
  }
}

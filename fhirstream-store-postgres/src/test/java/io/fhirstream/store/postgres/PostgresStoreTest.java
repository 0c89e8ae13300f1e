package io.fhirstream.store.postgres;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.store.WriterContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: PostgreSQL's refusals, failures, secrets and privileges. */
class PostgresStoreTest {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private final PostgresTestServer server = PostgresTestServer.shared();
  private final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
  private final WriterContext context =
      () -> (event, reason) -> deadLetters.add(event.versionedReference() + ": " + reason);
  private final String schema = "store_" + SCHEMAS.incrementAndGet();
  private final List<PostgresDocumentWriter> writers = new ArrayList<>();

  private PostgresDocumentWriter open(PostgresStoreConfig config) {
    PostgresDocumentWriter writer = new PostgresDocumentWriter(config);
    writers.add(writer);
    writer.open(context);
    return writer;
  }

  private PostgresDocumentWriter open() {
    return open(server.sinkConfig(schema));
  }

  @AfterEach
  void closeSinks() {
    writers.forEach(PostgresDocumentWriter::close);
  }

  private Connection reader;

  /** One reading connection per test: a connection per read would dominate the run time. */
  private Connection reader() throws SQLException {
    if (reader == null) {
      reader = server.superuser();
    }
    return reader;
  }

  @AfterEach
  void closeReader() throws SQLException {
    if (reader != null) {
      reader.close();
    }
  }

  private JsonNode stored(String type, String id) throws Exception {
    try (PreparedStatement query =
        reader()
            .prepareStatement(
                "SELECT resource::text FROM \"" + schema + "\".\"" + type + "\" WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? new ObjectMapper().readTree(rows.getString(1)) : null;
      }
    }
  }

  private String storedVersion(String type, String id) throws SQLException {
    try (PreparedStatement query =
        reader()
            .prepareStatement(
                "SELECT version_id FROM \"" + schema + "\".\"" + type + "\" WHERE id = ?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  private static ChangeEvent patientWithBody(String id, byte[] body) {
    return ChangeEvent.upsert("Patient", id, "1", T0, body);
  }

  private static ChangeEvent patientWithJson(String id, String json) {
    return patientWithBody(id, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Every message and SQLSTATE text in the chain, for secret checks. */
  private static String everything(Throwable thrown) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      all.append(t).append('\n');
      if (t instanceof SQLException sql) {
        for (SQLException next = sql.getNextException(); next != null; ) {
          all.append(next).append('\n');
          next = next.getNextException();
        }
      }
      for (Throwable suppressed : t.getSuppressed()) {
        all.append(everything(suppressed));
      }
    }
    return all.toString();
  }

  @Test
  void bodyKeepsEveryFieldAndValueOfTheFixtures() throws Exception {
    byte[] unusual = FhirFixtures.bytes("fhir/patient-unusual-whitespace.json");
    byte[] real = FhirFixtures.bytes("fhir/patient-synthea.json");
    PostgresDocumentWriter writer = open();
    writer.write(List.of(patientWithBody("unusual-1", unusual), patientWithBody("synthea", real)));
    writer.flush();

    ObjectMapper json = new ObjectMapper();
    JsonNode unusualStored = stored("Patient", "unusual-1");
    assertThat(unusualStored.equals(NUMBERS_BY_VALUE, json.readTree(unusual))).isTrue();
    assertThat(stored("Patient", "synthea").equals(NUMBERS_BY_VALUE, json.readTree(real))).isTrue();
    // The one difference from the bytes: numeric writes the exponent out.
    assertThat(unusualStored.at("/_birthDate/extension/0/valueDecimal").toString())
        .isEqualTo("150");
  }

  /** Equal nodes, and numbers equal by value whatever their form (150 and 1.50e2). */
  private static final java.util.Comparator<JsonNode> NUMBERS_BY_VALUE =
      (a, b) -> {
        if (a instanceof NumericNode x && b instanceof NumericNode y) {
          return x.decimalValue().compareTo(y.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  @Test
  void refusedDocumentsAreDeadLetteredWithTheirReasonAndTheOthersWritten() throws Exception {
    byte[] latin1 =
        "{\"resourceType\":\"Patient\",\"family\":\"Müller\"}"
            .getBytes(StandardCharsets.ISO_8859_1);
    List<ChangeEvent> batch =
        List.of(
            patientVersion("ok-1", 1),
            patientWithJson("nul", "{\"resourceType\":\"Patient\",\"x\":\"a\\u0000b\"}"),
            patientVersion("ok-2", 1),
            patientWithJson("surrogate", "{\"resourceType\":\"Patient\",\"x\":\"\\ud800\"}"),
            patientWithBody("latin1", latin1),
            patientWithJson("not-json", "{\"resourceType\":\"Patient\",\"x\":}"),
            patientVersion("ok-3", 1));
    // Batches of two: refusals in several JDBC batches, each re-sent row by row.
    PostgresDocumentWriter writer = open(server.sinkConfig(schema).withBatchSize(2));
    writer.write(batch);
    writer.flush();

    assertThat(storedVersion("Patient", "ok-1")).isEqualTo("1");
    assertThat(storedVersion("Patient", "ok-2")).isEqualTo("1");
    assertThat(storedVersion("Patient", "ok-3")).isEqualTo("1");
    assertThat(storedVersion("Patient", "nul")).isNull();
    assertThat(deadLetters)
        .containsExactly(
            "Patient/nul/_history/1: PostgreSQL refused the resource (SQLSTATE 22P05): a JSON"
                + " string holds the escape \\u0000 (or another escape jsonb cannot store)",
            "Patient/surrogate/_history/1: PostgreSQL refused the resource (SQLSTATE 22P02): the"
                + " resource body is not valid JSON to PostgreSQL (e.g. an unpaired surrogate"
                + " escape)",
            "Patient/latin1/_history/1: PostgreSQL refused the resource (SQLSTATE 22021): the"
                + " resource body is not valid UTF-8",
            "Patient/not-json/_history/1: PostgreSQL refused the resource (SQLSTATE 22P02): the"
                + " resource body is not valid JSON to PostgreSQL (e.g. an unpaired surrogate"
                + " escape)");
  }

  @Test
  void eventsNoTableCanHoldAreDeadLetteredBeforeSql() {
    PostgresDocumentWriter writer = open();
    writer.write(
        List.of(
            FhirFixtures.resource("patient", "1", "1", T0),
            FhirFixtures.resource("Patient\"; DROP TABLE x; --", "1", "1", T0),
            ChangeEvent.upsert(
                "Patient", "old", "1", Instant.parse("-0001-01-01T00:00:00Z"), new byte[] {'{'}),
            patientVersion("ok", 1)));
    writer.flush();

    assertThat(deadLetters)
        .hasSize(3)
        .anyMatch(r -> r.startsWith("patient/1/") && r.contains("not a FHIR resource type"))
        .anyMatch(r -> r.startsWith("Patient/old/") && r.contains("outside the years 1 to 9999"));
    deadLetters.clear();
  }

  @Test
  void guardInSqlAgreesWithVersionOrderOnEveryKindOfPair() throws Exception {
    Random random = new Random(7);
    String[] versions = {"1", "2", "10", "9", "a", "b", null, "007", "999999999999999999"};
    Instant[] times = {
      null, T0, T0.plusNanos(1), T0.plusNanos(999), T0.plusNanos(1000), T0.plusSeconds(1)
    };
    List<ChangeEvent> first = new ArrayList<>();
    List<ChangeEvent> second = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String id = "pair-" + i;
      first.add(randomVersion(id, "first", versions, times, random));
      second.add(randomVersion(id, "second", versions, times, random));
    }
    PostgresDocumentWriter writer = open();
    writer.write(first);
    writer.flush();
    writer.write(second);
    writer.flush();

    for (int i = 0; i < first.size(); i++) {
      ChangeEvent stored = first.get(i);
      ChangeEvent incoming = second.get(i);
      String expected = VersionOrder.isNewer(incoming, stored) ? "second" : "first";
      assertThat(stored("Patient", stored.id()).get("status").asText())
          .as("%s then %s", stored, incoming)
          .isEqualTo(expected);
    }
  }

  private static ChangeEvent randomVersion(
      String id, String label, String[] versions, Instant[] times, Random random) {
    String version = versions[random.nextInt(versions.length)];
    Instant time = times[random.nextInt(times.length)];
    return ChangeEvent.upsert(
        "Patient",
        id,
        version,
        time,
        ("{\"status\":\"" + label + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sessionTerminatedByAnAdministratorIsRetriableAndTheNextFlushReconnects() throws Exception {
    PostgresDocumentWriter writer =
        open(server.sinkConfig(schema).withApplicationName("fhirstream-terminate-me"));
    writer.write(List.of(patientVersion("p1", 1)));
    writer.flush();
    try (Connection admin = server.superuser();
        Statement statement = admin.createStatement()) {
      statement.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE application_name = 'fhirstream-terminate-me'");
    }

    writer.write(List.of(patientVersion("p1", 2)));
    assertThatThrownBy(writer::flush)
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("reconnects on the next attempt");
    writer.write(List.of(patientVersion("p1", 2)));
    writer.flush();

    assertThat(storedVersion("Patient", "p1")).isEqualTo("2");
  }

  @Test
  void wrongPasswordStopsWithTheKeysToCheckAndNeverTheSecret() {
    String secret = "Wr0ng-Passw0rd-" + System.nanoTime();
    PostgresStoreConfig config =
        PostgresStoreConfig.of(server.url(), PostgresTestServer.SINK_ROLE, secret)
            .withSchema(schema);

    Throwable thrown = catchOpen(config);

    assertThat(thrown)
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("SQLSTATE 28P01")
        .hasMessageContaining("check store.postgres.user and store.postgres.password");
    assertThat(everything(thrown)).doesNotContain(secret);
  }

  @Test
  void passwordInTheUrlQueryNeverReachesAMessage() throws Exception {
    String secret = "In-Url-S3cret-" + System.nanoTime();
    PostgresStoreConfig wrongInUrl =
        PostgresStoreConfig.of(
                server.url() + "?user=" + PostgresTestServer.SINK_ROLE + "&password=" + secret,
                "",
                null)
            .withSchema(schema);
    PostgresStoreConfig unreachable =
        PostgresStoreConfig.of(
                "jdbc:postgresql://127.0.0.1:" + closedPort() + "/fhir?password=" + secret,
                "writer",
                null)
            .withSchema(schema);

    Throwable refused = catchOpen(wrongInUrl);
    Throwable away = catchOpen(unreachable);

    assertThat(refused).isInstanceOf(PipelineException.class);
    assertThat(everything(refused)).doesNotContain(secret);
    assertThat(away)
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("postgresql://127.0.0.1:");
    assertThat(everything(away)).doesNotContain(secret);
    assertThat(wrongInUrl.toString()).doesNotContain(secret);
  }

  private Throwable catchOpen(PostgresStoreConfig config) {
    PostgresDocumentWriter writer = new PostgresDocumentWriter(config);
    try {
      writer.open(context);
      writer.close();
      throw new AssertionError("open succeeded");
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void tablesADbaCreatedNeedOnlyTheDocumentedGrants() throws Exception {
    String role = "fhirstream_writer_" + SCHEMAS.incrementAndGet();
    try (Connection admin = server.superuser();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
      for (String ddl : JsonbTable.createSql(schema, "Patient")) {
        statement.execute(ddl);
      }
      statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'writer-pw'");
      statement.execute("GRANT CONNECT ON DATABASE " + PostgresTestServer.DATABASE + " TO " + role);
      statement.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role);
      statement.execute(
          "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA " + schema + " TO " + role);
    }
    PostgresDocumentWriter writer =
        open(PostgresStoreConfig.of(server.url(), role, "writer-pw").withSchema(schema));

    writer.write(List.of(patientVersion("p1", 1)));
    writer.flush();
    writer.write(List.of(FhirFixtures.resource("Observation", "o1", "1", T0)));

    assertThatThrownBy(writer::flush)
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("SQLSTATE 42501")
        .hasMessageContaining("grant the writer's role the privileges listed in");
    assertThat(storedVersion("Patient", "p1")).isEqualTo("1");
  }

  @Test
  void reopenedSinkFindsTheTablesItCreated() throws Exception {
    PostgresDocumentWriter first = open();
    first.write(List.of(patientVersion("p1", 3)));
    first.flush();
    first.close();

    PostgresDocumentWriter second = open();
    second.write(List.of(patientVersion("p1", 2), patientVersion("p2", 1)));
    second.flush();

    assertThat(storedVersion("Patient", "p1")).isEqualTo("3");
    assertThat(storedVersion("Patient", "p2")).isEqualTo("1");
  }
}

package io.fhirstream.store.postgres;

import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.DocumentReaderContract;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.StoredDocument;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL reader against the contract, each test in a fresh schema of the embedded server,
 * and against plain SQL on the documented columns.
 */
class PostgresDocumentReaderTest extends DocumentReaderContract {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private final PostgresTestServer server = PostgresTestServer.shared();
  private String schema;

  @Override
  protected DocumentWriter newWriter() {
    schema = "reader_" + SCHEMAS.incrementAndGet();
    return new PostgresDocumentWriter(server.sinkConfig(schema));
  }

  @Override
  protected DocumentReader newReader() {
    return PostgresDocumentReader.open(server.sinkConfig(schema));
  }

  /** jsonb keeps the parsed document, not the bytes. */
  @Override
  protected boolean keepsBodyBytes() {
    return false;
  }

  @Test
  void readsWhatPlainSqlReadsFromTheDocumentedColumns() throws SQLException {
    Instant precise = Instant.parse("2024-05-01T08:00:00.123456789Z");
    writeAndFlush(
        patientVersion("p1", 2),
        patientDeletion("p2", 3),
        FhirFixtures.resource("Patient", "p3", "x", precise));

    try (Connection sql = server.superuser();
        PreparedStatement query =
            sql.prepareStatement(
                "SELECT id, version_id, last_updated, last_updated_nanos, deleted, resource::text"
                    + " FROM \""
                    + schema
                    + "\".\"Patient\" ORDER BY id");
        ResultSet rows = query.executeQuery()) {
      int seen = 0;
      while (rows.next()) {
        seen++;
        StoredDocument read = reader().read("Patient", rows.getString(1)).orElseThrow();
        assertThat(read.versionId()).isEqualTo(rows.getString(2));
        assertThat(read.lastUpdated())
            .isEqualTo(
                rows.getObject(3, OffsetDateTime.class).toInstant().plusNanos(rows.getInt(4)));
        assertThat(read.deleted()).isEqualTo(rows.getBoolean(5));
        assertThat(read.resource()).isEqualTo(rows.getString(6));
      }
      assertThat(seen).isEqualTo(3);
    }
    assertThat(reader().read("Patient", "p3").orElseThrow().lastUpdated()).isEqualTo(precise);
  }

  @Test
  void resourceTypesLeaveOutTablesOfAnotherLayout() throws SQLException {
    writeAndFlush(patientVersion("p1", 1));
    try (Connection sql = server.superuser();
        Statement ddl = sql.createStatement()) {
      // A valid type name, but not the store's table; the driver ceiling's scratch table; a view.
      ddl.execute("CREATE TABLE \"" + schema + "\".\"Notes\" (id text PRIMARY KEY, body text)");
      ddl.execute(
          "CREATE TABLE \""
              + schema
              + "\".fhirstream_ceiling_1 (id text PRIMARY KEY, version_id text,"
              + " last_updated timestamptz, deleted boolean NOT NULL, resource jsonb)");
      ddl.execute(
          "CREATE VIEW \""
              + schema
              + "\".\"Person\" AS SELECT * FROM \""
              + schema
              + "\".\"Patient\"");
    }

    assertThat(reader().resourceTypes()).containsExactly("Patient");
  }

  @Test
  void namesThatAreNotResourceTypesNeverReachSql() {
    writeAndFlush(patientVersion("p1", 1));

    assertThat(reader().read("Patient\"; DROP TABLE x; --", "p1")).isEmpty();
    assertThat(reader().count("patient")).isZero();
    assertThat(reader().readAll("pg_class")).isEmpty();
  }

  @Test
  void missingSchemaIsAPipelineExceptionNamingIt() {
    PostgresStoreConfig config = server.sinkConfig("never_written");

    assertThatThrownBy(() -> PostgresDocumentReader.open(config))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("never_written")
        .hasMessageContaining(PostgresStoreConfig.SCHEMA)
        .hasMessageNotContaining(server.sinkPassword());
  }

  @Test
  void wrongPasswordIsAPipelineExceptionWithoutIt() {
    String wrong = "not-the-password-" + SCHEMAS.incrementAndGet();
    PostgresStoreConfig config =
        PostgresStoreConfig.of(server.url(), PostgresTestServer.SINK_ROLE, wrong);

    assertThatThrownBy(() -> PostgresDocumentReader.open(config))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("28P01")
        .hasMessageNotContaining(wrong);
  }

  @Test
  void unreachableServerIsRetriable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    PostgresStoreConfig config =
        PostgresStoreConfig.of(
            "jdbc:postgresql://127.0.0.1:" + port + "/fhirstream",
            PostgresTestServer.SINK_ROLE,
            server.sinkPassword());

    assertThatThrownBy(() -> PostgresDocumentReader.open(config))
        .isInstanceOf(RetriableException.class)
        .hasMessageNotContaining(server.sinkPassword());
  }

  @Test
  void aLostConnectionFailsOneCallAndTheNextReconnects() throws SQLException {
    ChangeEvent event = patientVersion("p1", 1);
    writeAndFlush(event);
    assertStored(event);

    try (Connection sql = server.superuser();
        Statement terminate = sql.createStatement()) {
      terminate.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE application_name = 'fhirstream-sink-reader'");
      // pg_terminate_backend only signals: wait until the backend is gone, or a busy machine
      // lets the next query through on the doomed connection.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < deadline) {
        try (var left =
            terminate.executeQuery(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'fhirstream-sink-reader'")) {
          left.next();
          if (left.getInt(1) == 0) {
            break;
          }
        }
        Thread.onSpinWait();
      }
    }

    assertThatThrownBy(() -> reader().read("Patient", "p1")).isInstanceOf(RetriableException.class);
    assertStored(event);
  }
}

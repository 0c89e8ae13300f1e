package io.fhirstream.store.sqlite;

import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.WriterContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store does beyond the contract: opening, rejecting events, failing. */
class SqliteStoreTest {
  private static final String FIX =
      "check the directory exists and is writable, or set store.sqlite.path";

  @TempDir Path directory;
  private final List<String> deadLetters = new ArrayList<>();
  private final WriterContext context =
      () -> (event, reason) -> deadLetters.add(event.id() + ": " + reason);
  private SqliteDocumentWriter writer;

  private SqliteDocumentWriter open(SqliteStoreConfig config) {
    writer = new SqliteDocumentWriter(config);
    writer.open(context);
    return writer;
  }

  private Path file() {
    return directory.resolve("store.db");
  }

  private SqliteDocumentReader reader() {
    return SqliteDocumentReader.open(file());
  }

  @AfterEach
  void close() {
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void unwritablePathGivesPipelineExceptionNamingPathAndFix() throws Exception {
    Path notADirectory = Files.writeString(directory.resolve("plain-file"), "x");
    Path path = notADirectory.resolve("store.db");
    SqliteDocumentWriter unwritable = new SqliteDocumentWriter(SqliteStoreConfig.at(path));

    assertThatThrownBy(() -> unwritable.open(context))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(path.toString())
        .hasMessageEndingWith(FIX);
  }

  @Test
  void directoryAsPathGivesPipelineException() {
    SqliteDocumentWriter wrong = new SqliteDocumentWriter(SqliteStoreConfig.at(directory));

    assertThatThrownBy(() -> wrong.open(context))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(directory.toString())
        .hasMessageContaining("it is a directory")
        .hasMessageEndingWith(FIX);
  }

  @Test
  void fileThatIsNotADatabaseGivesPipelineException() throws Exception {
    Files.writeString(
        file(), "this is not a database, just text that is long enough to have a header");
    SqliteDocumentWriter wrong = new SqliteDocumentWriter(SqliteStoreConfig.at(file()));

    assertThatThrownBy(() -> wrong.open(context))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(file().toString())
        .hasMessageContaining("not a SQLite database");
  }

  @Test
  void storeWrittenByNewerSchemaIsRefused() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 99");
    }
    SqliteDocumentWriter old = new SqliteDocumentWriter(SqliteStoreConfig.at(file()));

    assertThatThrownBy(() -> old.open(context))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("newer fhirstream");
  }

  @Test
  void missingDirectoriesAreCreatedAndTheFileIsInWalMode() throws Exception {
    Path nested = directory.resolve("a/b/store.db");
    open(SqliteStoreConfig.at(nested));

    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + nested);
        Statement statement = connection.createStatement();
        ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
      assertThat(mode.getString(1)).isEqualTo("wal");
    }
  }

  @Test
  void writeBeforeOpenIsAnError() {
    SqliteDocumentWriter unopened = new SqliteDocumentWriter(SqliteStoreConfig.at(file()));

    assertThatThrownBy(() -> unopened.write(List.of(patientVersion("p", 1))))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void typeThatIsNotATableNameIsDeadLetteredAndTheBatchGoesOn() throws Exception {
    open(SqliteStoreConfig.at(file()));
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE x (a)");
    }
    ChangeEvent good = patientVersion("good", 1);
    List<ChangeEvent> batch = new ArrayList<>();
    for (String type :
        List.of(
            "Patient; DROP TABLE x", "Patient\"; DROP TABLE x; --", "patient", "sqlite_schema")) {
      batch.add(FhirFixtures.resource(type, "bad-" + batch.size(), "1", FhirFixtures.T0));
    }
    batch.add(good);
    writer.write(batch);
    writer.flush();

    assertThat(deadLetters)
        .hasSize(4)
        .allMatch(reason -> reason.contains("resourceType is not a FHIR resource type name"));
    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.read("Patient", "good")).isPresent();
      assertThat(reader.resourceTypes()).containsExactly("Patient");
    }
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery("SELECT count(*) FROM sqlite_schema WHERE name = 'x'")) {
      assertThat(tables.getInt(1)).as("table x survives").isEqualTo(1);
    }
    deadLetters.clear();
  }

  @Test
  void typeDifferingOnlyInCaseFromAStoredTypeIsDeadLettered() {
    open(SqliteStoreConfig.at(file()));
    writer.write(List.of(patientVersion("p1", 1)));
    writer.write(List.of(FhirFixtures.resource("PATIENT", "p1", "2", FhirFixtures.T0)));
    writer.flush();

    assertThat(deadLetters)
        .containsExactly(
            "p1: resourceType differs only in letter case from the stored type Patient");
    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.read("Patient", "p1").orElseThrow().versionId()).isEqualTo("1");
    }
  }

  @Test
  void bodyThatIsNotUtf8IsDeadLettered() {
    open(SqliteStoreConfig.at(file()));
    byte[] latin1 =
        "{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":\"Müller\"}"
            .getBytes(StandardCharsets.ISO_8859_1);
    writer.write(
        List.of(ChangeEvent.upsert("Patient", "p", "1", null, latin1), patientVersion("q", 1)));
    writer.flush();

    assertThat(deadLetters).containsExactly("p: resource body is not valid UTF-8");
    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.readAll("Patient")).containsOnlyKeys("q");
    }
  }

  @Test
  void schemaCanBeQueriedWithSqliteJsonFunctions() throws Exception {
    open(SqliteStoreConfig.at(file()));
    writer.write(
        List.of(
            ChangeEvent.upsert(
                "Patient",
                "p1",
                "3",
                FhirFixtures.T0.plusMillis(5),
                FhirFixtures.bytes("fhir/patient-synthea.json")),
            FhirFixtures.resource("Patient", "p2", "abc", FhirFixtures.T0),
            FhirFixtures.patientDeletion("p3", 2)));
    writer.flush();

    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT id, version_id, version_num, last_updated, last_updated_ms, deleted,"
                    + " json_extract(resource, '$.name[0].family'), typeof(resource)"
                    + " FROM Patient ORDER BY id")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("p1");
      assertThat(rows.getString(2)).isEqualTo("3");
      assertThat(rows.getLong(3)).isEqualTo(3L);
      assertThat(rows.getString(4)).isEqualTo("2024-05-01T08:00:00.005Z");
      assertThat(rows.getLong(5)).isEqualTo(FhirFixtures.T0.toEpochMilli() + 5);
      assertThat(rows.getInt(6)).isZero();
      assertThat(rows.getString(7)).isEqualTo("Abshire");
      assertThat(rows.getString(8)).isEqualTo("text");
      assertThat(rows.next()).isTrue();
      assertThat(rows.getObject(3)).as("non-numeric version").isNull();
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(6)).isEqualTo(1);
      assertThat(rows.getObject(7)).isNull();
    }
  }

  @Test
  void closeWithoutFlushKeepsNothingOfTheUnflushedWrites() {
    open(SqliteStoreConfig.at(file()));
    writer.write(List.of(patientVersion("kept", 1)));
    writer.flush();
    writer.write(List.of(patientVersion("lost", 1)));
    writer.close();
    writer = null;

    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.readAll("Patient")).containsOnlyKeys("kept");
    }
  }

  @Test
  void lockedDatabaseIsRetriableAndTheRetrySucceeds() throws Exception {
    open(new SqliteStoreConfig(file(), Duration.ofMillis(50), SqliteStoreConfig.Synchronous.FULL));
    writer.write(List.of(patientVersion("a", 1)));
    writer.flush();

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
        Statement statement = other.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      assertThatThrownBy(() -> writer.write(List.of(patientVersion("b", 1))))
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("locked")
          .hasMessageContaining(file().toString());
      statement.execute("COMMIT");
    }
    writer.write(List.of(patientVersion("b", 1)));
    writer.flush();

    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.readAll("Patient")).containsOnlyKeys("a", "b");
    }
  }

  @Test
  void diskFullIsRetriableAndTheRetryKeepsEarlierUnflushedWrites() throws Exception {
    open(SqliteStoreConfig.at(file()));
    writer.write(List.of(patientVersion("flushed", 1)));
    writer.flush();
    writer.write(List.of(patientVersion("unflushed", 1)));
    List<ChangeEvent> big = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      big.add(patientVersion("big-" + i, 1));
    }
    try (Statement statement = writer.connection().createStatement()) {
      long pages;
      try (ResultSet rows = statement.executeQuery("PRAGMA page_count")) {
        pages = rows.getLong(1);
      }
      statement.executeQuery("PRAGMA max_page_count = " + (pages + 2)).close();

      assertThatThrownBy(() -> writer.write(big))
          .isInstanceOf(RetriableException.class)
          .hasMessageStartingWith("disk full")
          .hasMessageContaining(file().toString());

      statement.executeQuery("PRAGMA max_page_count = 1073741823").close();
    }
    writer.write(big);
    writer.flush();

    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.count("Patient")).isEqualTo(202);
      assertThat(reader.readAll("Patient"))
          .containsKeys("flushed", "unflushed", "big-0", "big-199");
    }
  }

  @Test
  void failedBatchIsUndoneAloneWhenTheTransactionSurvives() throws Exception {
    open(new SqliteStoreConfig(file(), Duration.ofMillis(50), SqliteStoreConfig.Synchronous.FULL));
    writer.write(List.of(patientVersion("first", 1)));
    try (Statement statement = writer.connection().createStatement()) {
      // A trigger that fails the statement but leaves the transaction open.
      statement.execute(
          "CREATE TEMP TRIGGER refuse BEFORE INSERT ON Patient WHEN NEW.id = 'poison'"
              + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
      assertThatThrownBy(
              () -> writer.write(List.of(patientVersion("second", 1), patientVersion("poison", 1))))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("refused");
      statement.execute("DROP TRIGGER refuse");
    }
    writer.write(List.of(patientVersion("third", 1)));
    writer.flush();

    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.readAll("Patient")).containsOnlyKeys("first", "third");
    }
  }

  @Test
  void failingDeadLetterReporterUndoesTheWholeBatch() {
    writer = new SqliteDocumentWriter(SqliteStoreConfig.at(file()));
    writer.open(
        () ->
            (event, reason) -> {
              throw new RetriableException("dead-letter topic unavailable");
            });
    writer.write(List.of(patientVersion("before", 1)));
    List<ChangeEvent> batch =
        List.of(
            patientVersion("queued", 1),
            FhirFixtures.resource("bad type", "x", "1", FhirFixtures.T0),
            FhirFixtures.resource("Observation", "o", "1", FhirFixtures.T0));

    assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(RetriableException.class);
    writer.write(List.of(patientVersion("after", 1)));
    writer.flush();

    try (SqliteDocumentReader reader = reader()) {
      assertThat(reader.readAll("Patient")).containsOnlyKeys("before", "after");
      assertThat(reader.hasTable("Observation")).isFalse();
    }
  }
}

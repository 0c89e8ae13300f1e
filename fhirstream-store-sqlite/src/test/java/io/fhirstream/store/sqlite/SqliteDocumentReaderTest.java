package io.fhirstream.store.sqlite;

import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.DocumentReaderContract;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.StoredDocument;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite reader against the contract, and against plain JDBC on the documented columns. */
class SqliteDocumentReaderTest extends DocumentReaderContract {
  @TempDir Path directory;

  @Override
  protected DocumentWriter newWriter() {
    return new SqliteDocumentWriter(SqliteStoreConfig.at(directory.resolve("store.db")));
  }

  @Override
  protected DocumentReader newReader() {
    return SqliteDocumentReader.open(directory.resolve("store.db"));
  }

  private SqliteDocumentReader sqliteReader() {
    return (SqliteDocumentReader) reader();
  }

  @Test
  void readsDocumentsAndTombstonesByIdInOrder() {
    ChangeEvent b = patientVersion("b", 2);
    writeAndFlush(b, patientVersion("a", 1), patientDeletion("c", 3));

    assertThat(reader().readAll("Patient")).containsOnlyKeys("a", "b", "c");
    assertThat(reader().readAll("Patient").keySet()).containsExactly("a", "b", "c");
    StoredDocument stored = reader().read("Patient", "b").orElseThrow();
    assertThat(stored.versionId()).isEqualTo("2");
    assertThat(stored.lastUpdated()).isEqualTo(b.lastUpdated());
    assertThat(stored.deleted()).isFalse();
    assertThat(stored.resourceBytes()).isEqualTo(b.body());
    assertThat(stored.toString()).doesNotContain("Abshire", "{");
    StoredDocument tombstone = reader().read("Patient", "c").orElseThrow();
    assertThat(tombstone.deleted()).isTrue();
    assertThat(tombstone.resource()).isNull();
  }

  @Test
  void countsLiveDocumentsAndTombstonesApart() {
    writer.write(List.of(patientVersion("a", 1), patientVersion("b", 1), patientDeletion("c", 3)));
    writer.write(List.of(FhirFixtures.resource("Observation", "o", "1", FhirFixtures.T0)));
    writer.flush();

    assertThat(reader().count("Patient")).isEqualTo(2);
    assertThat(reader().countDeleted("Patient")).isEqualTo(1);
    assertThat(reader().count("Observation")).isEqualTo(1);
    assertThat(reader().resourceTypes()).containsExactly("Observation", "Patient");
  }

  @Test
  void seesOnlyFlushedWrites() {
    writeAndFlush(patientVersion("a", 1));
    writer.write(List.of(patientVersion("b", 1)));

    assertThat(reader().readAll("Patient")).containsOnlyKeys("a");
    writer.flush();
    assertThat(reader().readAll("Patient")).containsOnlyKeys("a", "b");
  }

  @Test
  void unknownTypeOrIdReadsAsEmpty() {
    writeAndFlush();

    assertThat(reader().read("Patient", "x")).isEmpty();
    assertThat(reader().readAll("Encounter")).isEmpty();
    assertThat(reader().count("Encounter")).isZero();
    assertThat(sqliteReader().hasTable("Patient; DROP TABLE x")).isFalse();
    assertThat(reader().read("Patient; DROP TABLE x", "1")).isEmpty();
  }

  @Test
  void readsWhatPlainJdbcReadsFromTheDocumentedColumns() throws SQLException {
    writeAndFlush(patientVersion("p1", 2), patientDeletion("p2", 3));

    try (Connection sql =
            DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store.db"));
        PreparedStatement query =
            sql.prepareStatement(
                "SELECT id, version_id, last_updated, deleted, resource FROM \"Patient\"");
        ResultSet rows = query.executeQuery()) {
      int seen = 0;
      while (rows.next()) {
        seen++;
        StoredDocument read = reader().read("Patient", rows.getString(1)).orElseThrow();
        assertThat(read.versionId()).isEqualTo(rows.getString(2));
        assertThat(read.lastUpdated()).hasToString(rows.getString(3));
        assertThat(read.deleted()).isEqualTo(rows.getInt(4) == 1);
        assertThat(read.resource()).isEqualTo(rows.getString(5));
      }
      assertThat(seen).isEqualTo(2);
    }
  }

  @Test
  void missingStoreIsAPipelineExceptionNamingThePath() {
    Path missing = directory.resolve("nope.db");

    assertThatThrownBy(() -> SqliteDocumentReader.open(missing))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("store.sqlite.path");
  }
}

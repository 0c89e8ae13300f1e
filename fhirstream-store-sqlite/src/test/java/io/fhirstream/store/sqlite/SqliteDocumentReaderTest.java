package io.fhirstream.store.sqlite;

import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.FhirFixtures;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.StoredDocument;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDocumentReaderTest {
  @TempDir Path directory;
  private SqliteDocumentWriter sink;
  private SqliteDocumentReader reader;

  @BeforeEach
  void openStore() {
    sink = new SqliteDocumentWriter(SqliteStoreConfig.at(directory.resolve("store.db")));
    sink.open(
        () ->
            (event, reason) -> {
              throw new AssertionError("dead letter: " + reason);
            });
    reader = SqliteDocumentReader.open(directory.resolve("store.db"));
  }

  @AfterEach
  void closeStore() {
    reader.close();
    sink.close();
  }

  @Test
  void readsDocumentsAndTombstonesByIdInOrder() {
    ChangeEvent b = patientVersion("b", 2);
    sink.write(List.of(b, patientVersion("a", 1), patientDeletion("c", 3)));
    sink.flush();

    assertThat(reader.readAll("Patient")).containsOnlyKeys("a", "b", "c");
    assertThat(reader.readAll("Patient").keySet()).containsExactly("a", "b", "c");
    StoredDocument stored = reader.read("Patient", "b").orElseThrow();
    assertThat(stored.versionId()).isEqualTo("2");
    assertThat(stored.lastUpdated()).isEqualTo(b.lastUpdated());
    assertThat(stored.deleted()).isFalse();
    assertThat(stored.resourceBytes()).isEqualTo(b.body());
    assertThat(stored.toString()).doesNotContain("Abshire", "{");
    StoredDocument tombstone = reader.read("Patient", "c").orElseThrow();
    assertThat(tombstone.deleted()).isTrue();
    assertThat(tombstone.resource()).isNull();
  }

  @Test
  void countsLiveDocumentsAndTombstonesApart() {
    sink.write(List.of(patientVersion("a", 1), patientVersion("b", 1), patientDeletion("c", 3)));
    sink.write(List.of(FhirFixtures.resource("Observation", "o", "1", FhirFixtures.T0)));
    sink.flush();

    assertThat(reader.count("Patient")).isEqualTo(2);
    assertThat(reader.countDeleted("Patient")).isEqualTo(1);
    assertThat(reader.count("Observation")).isEqualTo(1);
    assertThat(reader.resourceTypes()).containsExactly("Observation", "Patient");
  }

  @Test
  void seesOnlyFlushedWrites() {
    sink.write(List.of(patientVersion("a", 1)));
    sink.flush();
    sink.write(List.of(patientVersion("b", 1)));

    assertThat(reader.readAll("Patient")).containsOnlyKeys("a");
    sink.flush();
    assertThat(reader.readAll("Patient")).containsOnlyKeys("a", "b");
  }

  @Test
  void unknownTypeOrIdReadsAsEmpty() {
    assertThat(reader.read("Patient", "x")).isEmpty();
    assertThat(reader.readAll("Encounter")).isEmpty();
    assertThat(reader.count("Encounter")).isZero();
    assertThat(reader.hasTable("Patient; DROP TABLE x")).isFalse();
    assertThat(reader.read("Patient; DROP TABLE x", "1")).isEmpty();
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

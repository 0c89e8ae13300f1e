package io.fhirstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The results layout docs/stores/sqlite.md documents, read with plain SQL as a person with the
 * {@code sqlite3} shell would, and what the contract cannot say for every store.
 */
class SqliteResultLayoutTest {
  private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
  private static final ViewTable VIEW =
      new ViewTable(
          "patient_summary",
          List.of(
              new Column("family", ColumnType.TEXT),
              new Column("weight", ColumnType.DECIMAL),
              new Column("deceased", ColumnType.BOOLEAN),
              new Column("birth_date", ColumnType.DATE),
              new Column("given", ColumnType.JSON)));

  @TempDir Path directory;
  private SqliteResultWriter writer;

  @BeforeEach
  void open() {
    writer = new SqliteResultWriter(SqliteStoreConfig.at(directory.resolve("store.db")));
    writer.open(() -> (event, reason) -> {});
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private Connection plain() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("store.db"));
  }

  private static List<String> query(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(result.getString(i));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  @Test
  void rowsAreQueryableWithPlainSqlAndSqlitesJsonFunctions() throws SQLException {
    writer.defineView(VIEW);
    writer.replaceRows(
        VIEW.name(),
        new SourceVersion("Patient/1", "3", T0, false),
        List.of(
            List.of("Abshire", new BigDecimal("72.5"), false, "1970", List.of("Ann", "Marie")),
            List.of("Koepp", new BigDecimal("72.5"), false, "1970", List.of("Ann"))));
    writer.replaceRows(VIEW.name(), new SourceVersion("Patient/2", "1", T0, true), List.of());
    writer.putResult(
        "by_family", "by_family|Abshire", 4, "{\"count\":2}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    try (Connection connection = plain()) {
      assertThat(
              query(
                  connection,
                  "SELECT _resource_key, _row, family, typeof(weight), deceased, birth_date,"
                      + " typeof(birth_date) FROM patient_summary ORDER BY _resource_key, _row"))
          .containsExactly(
              "Patient/1|0|Abshire|real|0|1970|text", "Patient/1|1|Koepp|real|0|1970|text");
      assertThat(
              query(
                  connection,
                  "SELECT g.value FROM patient_summary, json_each(given) AS g WHERE _row = 0"))
          .containsExactly("Ann", "Marie");
      assertThat(
              query(
                  connection,
                  "SELECT view, resource_key, version_id, deleted FROM view_versions ORDER BY 2"))
          .containsExactly("patient_summary|Patient/1|3|0", "patient_summary|Patient/2|1|1");
      assertThat(
              query(
                  connection,
                  "SELECT id, version, json_extract(document, '$.count') FROM aggregate_results"
                      + " WHERE aggregate = 'by_family' AND deleted = 0"))
          .containsExactly("by_family|Abshire|4|2");
    }
  }

  @Test
  void theDocumentReaderListsNoResultTableAsAResourceType() {
    writer.defineView(VIEW);
    writer.putResult("by_family", "x", 1, "{}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    try (SqliteDocumentReader documents =
        SqliteDocumentReader.open(directory.resolve("store.db"))) {
      assertThat(documents.resourceTypes()).isEmpty();
    }
  }

  @Test
  void aDroppedTableIsRebuiltByTheNextDeliveryWithItsNewTypes() throws SQLException {
    writer.defineView(VIEW);
    SourceVersion v1 = new SourceVersion("Patient/1", "1", T0, false);
    writer.replaceRows(
        VIEW.name(), v1, List.of(List.of("A", new BigDecimal("1"), true, "1970", List.of())));
    writer.flush();
    ViewTable changed =
        new ViewTable(
            VIEW.name(),
            List.of(new Column("family", ColumnType.TEXT), new Column("weight", ColumnType.TEXT)));
    assertThatThrownBy(() -> writer.defineView(changed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("DROP TABLE \"patient_summary\"");

    // The fix the message gives, then the role's re-delivery of the same version.
    try (Connection connection = plain();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE patient_summary");
    }
    writer.defineView(changed);
    writer.replaceRows(VIEW.name(), v1, List.of(List.of("A", "1 kg")));
    writer.flush();

    try (Connection connection = plain()) {
      assertThat(query(connection, "SELECT family, weight FROM patient_summary"))
          .containsExactly("A|1 kg");
    }
  }

  @Test
  void aTableWhoseNameDiffersOnlyInCaseIsRefused() throws SQLException {
    try (Connection connection = plain();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE Patient_Summary (a TEXT)");
    }

    assertThatThrownBy(() -> writer.defineView(VIEW))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("view patient_summary cannot be stored")
        .hasMessageContaining("Patient_Summary")
        .hasMessageEndingWith("rename the view");
  }

  @Test
  void aTableOfThatNameThatIsNotAViewsIsRefused() throws SQLException {
    try (Connection connection = plain();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE patient_summary (a TEXT)");
    }

    assertThatThrownBy(() -> writer.defineView(VIEW))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("that is not a view's");
  }

  @Test
  void sqlitesOwnNamesAreRefused() {
    ViewTable reserved = new ViewTable("sqlite_stat9", List.of(new Column("a", ColumnType.TEXT)));

    assertThatThrownBy(() -> writer.defineView(reserved))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("SQLite reserves");
  }
}

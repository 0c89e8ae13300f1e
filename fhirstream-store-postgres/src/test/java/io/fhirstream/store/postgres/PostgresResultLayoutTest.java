package io.fhirstream.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The results layout docs/stores/postgres.md documents, read with plain SQL as a person with psql
 * would, and what the contract cannot say for every store.
 */
class PostgresResultLayoutTest {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");
  private static final ViewTable VIEW =
      new ViewTable(
          "patient_summary",
          List.of(
              new Column("family", ColumnType.TEXT),
              new Column("births", ColumnType.INTEGER),
              new Column("weight", ColumnType.DECIMAL),
              new Column("deceased", ColumnType.BOOLEAN),
              new Column("birth_date", ColumnType.DATE),
              new Column("given", ColumnType.JSON)));

  private final PostgresTestServer server = PostgresTestServer.shared();
  private String schema;
  private PostgresResultWriter writer;

  @BeforeEach
  void open() {
    schema = "layout_" + SCHEMAS.incrementAndGet();
    writer = new PostgresResultWriter(server.sinkConfig(schema));
    writer.open(() -> (event, reason) -> {});
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private List<String> query(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = server.superuser();
        Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      try (ResultSet result = statement.executeQuery(sql)) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          List<String> values = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            values.add(result.getString(i));
          }
          rows.add(String.join("|", values));
        }
      }
    }
    return rows;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = server.superuser();
        Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      statement.execute(sql);
    }
  }

  @Test
  void rowsAreTypedColumnsQueryableWithPlainSql() throws SQLException {
    writer.defineView(VIEW);
    writer.replaceRows(
        VIEW.name(),
        new SourceVersion("Patient/1", "3", T0, false),
        List.of(
            List.of("Abshire", 2L, new BigDecimal("72.50"), false, "1970", List.of("Ann", "Marie")),
            List.of("Koepp", 2L, new BigDecimal("72.50"), false, "1970-06-15", List.of())));
    writer.replaceRows(VIEW.name(), new SourceVersion("Patient/2", "1", T0, true), List.of());
    writer.putResult(
        "by_family", "by_family|Abshire", 4, "{\"count\":2}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    assertThat(
            query(
                "SELECT _resource_key, _row, family, births + 1, weight, NOT deceased,"
                    + " pg_typeof(birth_date), given ->> 0 FROM patient_summary"
                    + " ORDER BY _resource_key, _row"))
        .containsExactly(
            "Patient/1|0|Abshire|3|72.50|t|text|Ann", "Patient/1|1|Koepp|3|72.50|t|text|null");
    assertThat(query("SELECT birth_date::date FROM patient_summary WHERE length(birth_date) = 10"))
        .containsExactly("1970-06-15");
    assertThat(
            query("SELECT view, resource_key, version_id, deleted FROM view_versions ORDER BY 2"))
        .containsExactly("patient_summary|Patient/1|3|f", "patient_summary|Patient/2|1|t");
    assertThat(
            query(
                "SELECT id, version, document ->> 'count' FROM aggregate_results"
                    + " WHERE aggregate = 'by_family' AND NOT deleted"))
        .containsExactly("by_family|Abshire|4|2");
  }

  @Test
  void theDocumentReaderListsNoResultTableAsAResourceType() {
    writer.defineView(VIEW);
    writer.putResult("by_family", "x", 1, "{}".getBytes(StandardCharsets.UTF_8));
    writer.flush();

    try (PostgresDocumentReader documents =
        PostgresDocumentReader.open(server.sinkConfig(schema))) {
      assertThat(documents.resourceTypes()).isEmpty();
    }
  }

  @Test
  void aDroppedTableIsRebuiltByTheNextDeliveryWithItsNewTypes() throws SQLException {
    writer.defineView(VIEW);
    SourceVersion v1 = new SourceVersion("Patient/1", "1", T0, false);
    writer.replaceRows(
        VIEW.name(), v1, List.of(List.of("A", 1L, new BigDecimal("1"), true, "1970", List.of())));
    writer.flush();
    ViewTable changed =
        new ViewTable(
            VIEW.name(),
            List.of(new Column("family", ColumnType.TEXT), new Column("weight", ColumnType.TEXT)));
    assertThatThrownBy(() -> writer.defineView(changed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("column weight is numeric")
        .hasMessageContaining("DROP TABLE \"" + schema + "\".\"patient_summary\"");

    execute("DROP TABLE patient_summary");
    writer.defineView(changed);
    writer.replaceRows(VIEW.name(), v1, List.of(List.of("A", "1 kg")));
    writer.flush();

    assertThat(query("SELECT family, weight FROM patient_summary")).containsExactly("A|1 kg");
  }

  @Test
  void aNulCharacterIsRefusedNamingViewResourceAndColumnButNotTheValue() {
    writer.defineView(VIEW);
    writer.replaceRows(
        VIEW.name(),
        new SourceVersion("Patient/1", "1", T0, false),
        List.of(List.of("Secret\0Name", 1L, BigDecimal.ONE, true, "1970", List.of("x\0"))));

    assertThatThrownBy(() -> writer.flush())
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("view patient_summary: column family of a row of Patient/1")
        .hasMessageNotContaining("Secret");
  }

  @Test
  void aTableOfThatNameThatIsNotAViewsIsRefused() throws SQLException {
    execute("CREATE TABLE patient_summary (a text)");

    assertThatThrownBy(() -> writer.defineView(VIEW))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("that is not a view's");
  }
}

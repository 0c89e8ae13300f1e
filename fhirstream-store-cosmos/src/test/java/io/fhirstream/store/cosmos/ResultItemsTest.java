package io.fhirstream.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The results' items, without a server: ids, exact numbers, versions. */
class ResultItemsTest {
  private static final ViewTable VIEW =
      new ViewTable(
          "v",
          List.of(
              new Column("id", ColumnType.TEXT),
              new Column("n", ColumnType.INTEGER),
              new Column("d", ColumnType.DECIMAL),
              new Column("j", ColumnType.JSON)));

  @Test
  void idsKeepReadableCharactersAndEncodeTheRest() {
    assertThat(CosmosIds.encode("Patient/123-a.b", 255)).isEqualTo("Patient%2F123-a.b");
    assertThat(CosmosIds.encode("a?b#c\\d%e f", 255)).isEqualTo("a%3Fb%23c%5Cd%25e%20f");
    assertThat(CosmosIds.encode("Müller", 255)).isEqualTo("M%C3%BCller");
    assertThat(CosmosIds.encode("x".repeat(300), 255)).startsWith("~sha256-").hasSize(72);
    assertThat(CosmosIds.encode("x".repeat(300), 255))
        .isNotEqualTo(CosmosIds.encode("x".repeat(301), 255));
  }

  @Test
  void rowIdsAreUniquePerResourceAndRow() {
    assertThat(ResultItems.rowId("Patient/1", 0)).isEqualTo("Patient%2F1|0");
    assertThat(ResultItems.rowId("Patient/1", 10)).isNotEqualTo(ResultItems.rowId("Patient/11", 0));
    assertThat(ResultItems.rowId("P/" + "x".repeat(400), 12)).endsWith("|12").hasSizeLessThan(256);
  }

  @Test
  void numbersADoubleWouldChangeComeBackExactly() {
    List<Object> written =
        Arrays.asList(
            "123",
            9007199254740993L,
            new BigDecimal("1.50"),
            List.of(new BigDecimal("0.000100"), 2L, "x"));
    ObjectNode item = ResultItems.row(VIEW, "Patient/1", 0, written);

    assertThat(item.path("_exact").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("/n", "/d", "/j/0");
    // As Cosmos DB gives it back: every number a double.
    ObjectNode stored = item.deepCopy();
    stored.with("columns").put("n", 9007199254740993d).put("d", 1.5);
    stored.with("columns").withArray("j").set(0, stored.numberNode(1.0E-4));
    List<Object> read = ResultItems.values(stored, List.of("id", "n", "d", "j"));

    assertThat(read.get(0)).isEqualTo("123");
    assertThat(read.get(1)).isEqualTo(9007199254740993L);
    assertThat(read.get(2)).isEqualTo(new BigDecimal("1.50"));
    assertThat(read.get(3)).asList().containsExactly(new BigDecimal("0.000100"), 2L, "x");
  }

  @Test
  void aMissingColumnReadsAsNull() {
    ObjectNode item = ResultItems.row(VIEW, "Patient/1", 0, Arrays.asList("a", 1L, null, null));

    assertThat(ResultItems.values(item, List.of("id", "added_later"))).containsExactly("a", null);
  }

  @Test
  void aVersionItemHoldsTheVersionAndTheBound() {
    SourceVersion version =
        new SourceVersion("Patient/1", "7", Instant.parse("2024-05-01T08:00:00.123456789Z"), true);
    ObjectNode item = ResultItems.version("v", version, true, 4);

    assertThat(item.path("id").asText()).isEqualTo("v|Patient%2F1");
    assertThat(item.path("versionNum").asLong()).isEqualTo(7);
    assertThat(item.path("pending").asBoolean()).isTrue();
    assertThat(item.path("rows").asInt()).isEqualTo(4);
    assertThat(ResultItems.storedVersion(item)).isEqualTo(version);
  }

  @Test
  void aResultDocumentComesBackWithItsNumbersAsWritten() {
    byte[] json =
        "{\"mean\":41.50,\"n\":3,\"tiny\":1e-7,\"big\":12345678901234567890,\"half\":0.5}"
            .getBytes(StandardCharsets.UTF_8);
    ObjectNode item = ResultItems.result("a", "a|x", 2, json);
    ObjectNode stored = item.deepCopy();
    stored.with("document").put("mean", 41.5).put("tiny", 1e-7).put("big", 1.2345678901234567e19);

    assertThat(new String(ResultItems.document(stored), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"mean\":41.50,\"n\":3,\"tiny\":1E-7,\"big\":12345678901234567890,\"half\":0.5}");
  }

  @Test
  void aResultThatIsNotAnObjectOrTooLargeIsRefusedWithoutItsContent() {
    assertThatThrownBy(() -> ResultItems.result("a", "a|x", 1, "\"secret\"".getBytes()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("not a JSON object")
        .hasMessageNotContaining("secret");
    byte[] huge = ("{\"s\":\"" + "x".repeat(2_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ResultItems.result("a", "a|x", 1, huge))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("Cosmos DB refuses items over 2 MB");
  }
}

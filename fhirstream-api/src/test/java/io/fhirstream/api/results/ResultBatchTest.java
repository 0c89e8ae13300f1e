package io.fhirstream.api.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.results.ViewTable.Column;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultBatchTest {
  private static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

  private static SourceVersion version(String key, String versionId) {
    return new SourceVersion(key, versionId, T0, false);
  }

  @Test
  void keepsTheNewestRowsPerViewAndResourceInFirstSeenOrder() {
    ResultBatch batch = new ResultBatch();
    batch.addRows("v", version("Patient/2", "1"), List.of(List.of("a")));
    batch.addRows("v", version("Patient/1", "3"), List.of(List.of("three")));
    batch.addRows("v", version("Patient/1", "1"), List.of(List.of("one")));
    batch.addRows("v", version("Patient/1", "3"), List.of(List.of("three again")));
    batch.addRows("w", version("Patient/1", "1"), List.of());

    assertThat(batch.size()).isEqualTo(3);
    List<ResultBatch.Rows> rows = batch.rowsByView().get("v");
    assertThat(rows)
        .extracting(r -> r.version().resourceKey())
        .containsExactly("Patient/2", "Patient/1");
    assertThat(rows.get(1).rows()).containsExactly(List.of("three"));
    assertThat(batch.rowsByView()).containsOnlyKeys("v", "w");
  }

  @Test
  void keepsTheHighestResultPerAggregateAndId() {
    ResultBatch batch = new ResultBatch();
    batch.addResult("a", "x", 2, new byte[] {2});
    batch.addResult("a", "x", 1, new byte[] {1});
    batch.addResult("a", "x", 2, new byte[] {22});
    batch.addResult("a", "y", 1, null);
    batch.addResult("b", "x", 1, new byte[] {3});

    assertThat(batch.size()).isEqualTo(3);
    assertThat(batch.resultsByAggregate().get("a"))
        .extracting(ResultBatch.Result::id, ResultBatch.Result::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("x", 2L),
            org.assertj.core.groups.Tuple.tuple("y", 1L));
    assertThat(batch.resultsByAggregate().get("a").get(0).document()).containsExactly(2);
    batch.clear();
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void aRowMustFitItsViewAndTheMessageNamesNoValue() {
    ViewTable view =
        new ViewTable(
            "v",
            List.of(
                new Column("n", ColumnType.INTEGER),
                new Column("d", ColumnType.DECIMAL),
                new Column("j", ColumnType.JSON)));
    view.requireRow(Arrays.asList(1L, new BigDecimal("1.5"), List.of("a", List.of(1))));
    view.requireRow(Arrays.asList(null, null, null));

    assertThatThrownBy(() -> view.requireRow(List.of(1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 values for 3 columns");
    assertThatThrownBy(() -> view.requireRow(Arrays.asList("secret-name", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column n of view v is INTEGER but a row holds a String")
        .hasMessageNotContaining("secret-name");
    assertThatThrownBy(() -> view.requireRow(Arrays.asList(null, 1.5d, null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> view.requireRow(Arrays.asList(null, null, List.of(new Object()))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sameVersionMeansSameVersionIdAndLastUpdated() {
    SourceVersion a = new SourceVersion("Patient/1", "1", T0, false);
    assertThat(a.isSameVersionAs(new SourceVersion("Patient/1", "1", T0, true))).isTrue();
    assertThat(a.isSameVersionAs(new SourceVersion("Patient/1", "1", T0.plusNanos(1), false)))
        .isFalse();
    assertThat(a.isSameVersionAs(new SourceVersion("Patient/1", "2", T0, false))).isFalse();
  }
}

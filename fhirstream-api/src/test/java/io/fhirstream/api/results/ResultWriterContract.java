package io.fhirstream.api.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.results.ViewTable.Column;
import io.fhirstream.api.store.WriterContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ResultWriter} must show, read back through its store's {@link
 * ResultReader} on a connection of its own. A store's test extends this class and supplies fresh
 * writers, a reader and an outage; a store holds analytics results when it passes.
 *
 * <p>The reader is opened at its first use and kept for the test, so the tests also show that a
 * reader sees flushes made after it was opened.
 */
public abstract class ResultWriterContract {
  protected static final Instant T0 = Instant.parse("2024-05-01T08:00:00Z");

  /** A view with a column of every type. */
  protected static final ViewTable EVERY_TYPE =
      new ViewTable(
          "every_type",
          List.of(
              new Column("label", ColumnType.TEXT),
              new Column("total", ColumnType.INTEGER),
              new Column("amount", ColumnType.DECIMAL),
              new Column("active", ColumnType.BOOLEAN),
              new Column("born", ColumnType.DATE),
              new Column("seen_at", ColumnType.DATETIME),
              new Column("time_of_day", ColumnType.TIME),
              new Column("tags", ColumnType.JSON)));

  /** A view of names: one row per name of a patient. */
  protected static final ViewTable NAMES =
      new ViewTable(
          "patient_names",
          List.of(new Column("family", ColumnType.TEXT), new Column("given", ColumnType.TEXT)));

  /** Another view, to show views are kept apart. */
  protected static final ViewTable GENDERS =
      new ViewTable("patient_genders", List.of(new Column("gender", ColumnType.TEXT)));

  /** A new, not yet opened writer over a fresh, empty store. Called once per test. */
  protected abstract ResultWriter newWriter();

  /** A new, not yet opened writer over the store of the last {@link #newWriter()}. */
  protected abstract ResultWriter newWriterOverSameStore();

  /** A reader of the store of the last {@link #newWriter()}, on a connection of its own. */
  protected abstract ResultReader newReader();

  /**
   * Makes the store unavailable in a way a later attempt gets past until the returned handle is
   * closed; the writer must then fail with {@link RetriableException}, and succeed when the runtime
   * re-delivers.
   */
  protected abstract AutoCloseable interruptStore() throws Exception;

  /**
   * Whether DECIMAL values come back with their digits and scale ({@code 1.50} as {@code 1.50}). A
   * store that holds them as doubles (SQLite's REAL) returns {@code false} and is held to the same
   * double instead.
   */
  protected boolean keepsDecimalsExactly() {
    return true;
  }

  protected ResultWriter writer;
  private ResultReader reader;
  private final List<String> deadLetters = Collections.synchronizedList(new ArrayList<>());
  private final WriterContext context = () -> (event, reason) -> deadLetters.add(reason);

  @BeforeEach
  void openWriter() {
    writer = newWriter();
    writer.open(context);
  }

  @AfterEach
  void closeReaderAndWriter() {
    try {
      if (reader != null) {
        reader.close();
      }
    } finally {
      writer.close();
    }
    assertThat(deadLetters).as("a result writer has no events to dead-letter").isEmpty();
  }

  /** The reader of this test, opened on first use. */
  protected ResultReader reader() {
    if (reader == null) {
      reader = newReader();
    }
    return reader;
  }

  // ---------------------------------------------------------------- helpers

  protected static SourceVersion version(String key, int version) {
    return new SourceVersion(key, Integer.toString(version), T0.plusSeconds(version), false);
  }

  protected static SourceVersion deletion(String key, int version) {
    return new SourceVersion(key, Integer.toString(version), T0.plusSeconds(version), true);
  }

  /** Rows of {@link #NAMES}: family and given name, pairwise. */
  protected static List<List<Object>> names(String... familyAndGiven) {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < familyAndGiven.length; i += 2) {
      rows.add(Arrays.asList(familyAndGiven[i], familyAndGiven[i + 1]));
    }
    return rows;
  }

  protected void replaceAndFlush(ViewTable view, SourceVersion version, List<List<Object>> rows) {
    writer.replaceRows(view.name(), version, rows);
    writer.flush();
  }

  protected static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What the store holds of a view, values in one comparable form, in the view's column order. */
  protected Map<String, List<List<Object>>> stored(ViewTable view) {
    List<String> columns = reader().columns(view.name());
    Map<String, List<List<Object>>> rows = reader().rows(view.name());
    StoredValues values = new StoredValues(keepsDecimalsExactly());
    List<ColumnType> types = view.columns().stream().map(Column::type).toList();
    Map<String, List<List<Object>>> comparable = new LinkedHashMap<>();
    rows.forEach(
        (key, ofResource) -> {
          List<List<Object>> converted = new ArrayList<>();
          for (List<Object> row : ofResource) {
            assertThat(row).as("values of a row of %s", view.name()).hasSize(columns.size());
            List<Object> inViewOrder = new ArrayList<>();
            for (Column column : view.columns()) {
              int index = columns.indexOf(column.name());
              assertThat(index).as("column %s of %s", column.name(), view.name()).isNotNegative();
              inViewOrder.add(row.get(index));
            }
            converted.add(values.row(types, inViewOrder));
          }
          comparable.put(key, converted);
        });
    return comparable;
  }

  /** Rows as written, in the form {@link #stored} gives. */
  protected List<List<Object>> expected(ViewTable view, List<List<Object>> rows) {
    StoredValues values = new StoredValues(keepsDecimalsExactly());
    List<ColumnType> types = view.columns().stream().map(Column::type).toList();
    return rows.stream().map(row -> values.row(types, row)).toList();
  }

  protected void assertRows(ViewTable view, String key, List<List<Object>> rows) {
    if (rows.isEmpty()) {
      assertThat(stored(view)).as("rows of %s in %s", key, view.name()).doesNotContainKey(key);
    } else {
      assertThat(stored(view).get(key))
          .as("rows of %s in %s", key, view.name())
          .isEqualTo(expected(view, rows));
    }
  }

  protected void assertResult(String aggregate, String id, byte[] document) {
    assertResult(reader().results(aggregate), aggregate, id, document);
  }

  /** As {@link #assertResult(String, String, byte[])}, on results already read. */
  protected void assertResult(
      Map<String, byte[]> results, String aggregate, String id, byte[] document) {
    if (document == null) {
      assertThat(results).as("results of %s", aggregate).doesNotContainKey(id);
      return;
    }
    assertThat(results).as("results of %s", aggregate).containsKey(id);
    assertThat(StoredValues.sameDocument(results.get(id), document))
        .as(
            "result %s of %s: stored %s, written %s",
            id,
            aggregate,
            new String(results.get(id), StandardCharsets.UTF_8),
            new String(document, StandardCharsets.UTF_8))
        .isTrue();
  }

  // ---------------------------------------------------------------- view rows

  @Test
  void rowsOfEveryColumnTypeReadBackAsWritten() {
    writer.defineView(EVERY_TYPE);
    List<List<Object>> rows =
        List.of(
            Arrays.asList(
                "Zoë Ångström-山田 🚑 \"quoted\" 'single' \\ back",
                42L,
                new BigDecimal("1.50"),
                true,
                "1970",
                "2024-05-01T08:00:00.123+02:00",
                "08:30:00",
                List.of("a", "ü", "😀")),
            Arrays.asList(null, null, null, null, null, null, null, null),
            Arrays.asList(
                "",
                -7,
                new BigDecimal("-0.000100"),
                false,
                "1970-06",
                "2024",
                "23:59:59.999",
                List.of()),
            Arrays.asList(
                "x".repeat(5000),
                9007199254740993L,
                new BigDecimal("12345678901234567.25"),
                true,
                "1970-06-15",
                "2024-05-01T08:00:00Z",
                "00:00:00",
                Arrays.asList(1, new BigDecimal("2.50"), "three", true, null)));
    replaceAndFlush(EVERY_TYPE, version("Patient/1", 1), rows);

    assertThat(reader().columns(EVERY_TYPE.name()))
        .containsSubsequence(EVERY_TYPE.columns().stream().map(Column::name).toList());
    assertThat(stored(EVERY_TYPE)).containsOnlyKeys("Patient/1");
    assertRows(EVERY_TYPE, "Patient/1", rows);
  }

  @Test
  void newerVersionReplacesTheRowsWithFewerOrMore() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a", "B", "b", "C", "c"));
    replaceAndFlush(NAMES, version("Patient/1", 2), names("D", "d"));
    assertRows(NAMES, "Patient/1", names("D", "d"));

    List<List<Object>> four = names("E", "e", "F", "f", "G", "g", "H", "h");
    replaceAndFlush(NAMES, version("Patient/1", 3), four);
    assertRows(NAMES, "Patient/1", four);
  }

  @Test
  void olderVersionAfterANewerChangesNothing() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 2), names("New", "n"));
    replaceAndFlush(NAMES, version("Patient/1", 1), names("Old", "o", "Older", "o"));

    assertRows(NAMES, "Patient/1", names("New", "n"));
  }

  @Test
  void versionNineIsOlderThanVersionTen() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 10), names("Ten", "t"));
    replaceAndFlush(NAMES, version("Patient/1", 9), names("Nine", "n"));

    assertRows(NAMES, "Patient/1", names("Ten", "t"));
  }

  @Test
  void sameVersionAgainChangesNothing() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    replaceAndFlush(NAMES, version("Patient/1", 1), names("B", "b", "C", "c"));
    replaceAndFlush(NAMES, version("Patient/1", 1), List.of());

    assertRows(NAMES, "Patient/1", names("A", "a"));
  }

  @Test
  void nonNumericVersionsFallBackToLastUpdated() {
    writer.defineView(NAMES);
    SourceVersion later = new SourceVersion("Patient/1", "a", T0.plusMillis(2), false);
    SourceVersion earlier = new SourceVersion("Patient/1", "b", T0.plusMillis(1), false);
    replaceAndFlush(NAMES, later, names("Later", "l"));
    replaceAndFlush(NAMES, earlier, names("Earlier", "e"));

    assertRows(NAMES, "Patient/1", names("Later", "l"));
  }

  @Test
  void noRowsRemoveTheResourcesRowsAndKeepItsVersion() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    // A where clause that became false: the resource is still there, but makes no rows.
    replaceAndFlush(NAMES, version("Patient/1", 2), List.of());
    assertRows(NAMES, "Patient/1", List.of());

    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    assertRows(NAMES, "Patient/1", List.of());
  }

  @Test
  void deletionRemovesTheRowsAndAnOlderVersionDoesNotBringThemBack() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a", "B", "b"));
    replaceAndFlush(NAMES, version("Patient/2", 1), names("Other", "o"));
    replaceAndFlush(NAMES, deletion("Patient/1", 2), List.of());
    assertRows(NAMES, "Patient/1", List.of());

    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a", "B", "b"));
    assertRows(NAMES, "Patient/1", List.of());
    assertRows(NAMES, "Patient/2", names("Other", "o"));
  }

  @Test
  void deletionOfAResourceNeverSeenKeepsItsVersion() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, deletion("Patient/1", 4), List.of());
    replaceAndFlush(NAMES, version("Patient/1", 3), names("A", "a"));

    assertRows(NAMES, "Patient/1", List.of());
  }

  @Test
  void newerVersionAfterADeletionBringsRowsBack() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    replaceAndFlush(NAMES, deletion("Patient/1", 2), List.of());
    replaceAndFlush(NAMES, version("Patient/1", 3), names("Back", "b", "Again", "a"));

    assertRows(NAMES, "Patient/1", names("Back", "b", "Again", "a"));
  }

  @Test
  void resourcesAndViewsAreKeptApart() {
    writer.defineView(NAMES);
    writer.defineView(GENDERS);
    writer.replaceRows(NAMES.name(), version("Patient/1", 1), names("One", "o"));
    writer.replaceRows(NAMES.name(), version("Patient/2", 5), names("Two", "t", "Deux", "d"));
    writer.replaceRows(GENDERS.name(), version("Patient/1", 3), List.of(List.of("female")));
    writer.replaceRows(NAMES.name(), version("Patient/10", 1), names("Ten", "t"));
    writer.flush();
    // A deletion seen by one view only (the other view has not caught up yet) stays in that view.
    writer.replaceRows(GENDERS.name(), deletion("Patient/2", 6), List.of());
    writer.replaceRows(NAMES.name(), version("Patient/1", 2), names("Uno", "u"));
    writer.flush();

    assertThat(stored(NAMES)).containsOnlyKeys("Patient/1", "Patient/2", "Patient/10");
    assertRows(NAMES, "Patient/1", names("Uno", "u"));
    assertRows(NAMES, "Patient/2", names("Two", "t", "Deux", "d"));
    assertRows(NAMES, "Patient/10", names("Ten", "t"));
    assertThat(stored(GENDERS)).containsOnlyKeys("Patient/1");
    assertRows(GENDERS, "Patient/1", List.of(List.of("female")));
  }

  @Test
  void severalVersionsBeforeOneFlushKeepTheNewest() {
    writer.defineView(NAMES);
    writer.replaceRows(NAMES.name(), version("Patient/1", 3), names("Three", "t"));
    writer.replaceRows(NAMES.name(), version("Patient/1", 1), names("One", "o"));
    writer.replaceRows(NAMES.name(), version("Patient/1", 5), names("Five", "f", "V", "v"));
    writer.replaceRows(NAMES.name(), version("Patient/1", 4), names("Four", "f"));
    writer.replaceRows(NAMES.name(), deletion("Patient/2", 2), List.of());
    writer.replaceRows(NAMES.name(), version("Patient/2", 1), names("Gone", "g"));
    writer.flush();

    assertRows(NAMES, "Patient/1", names("Five", "f", "V", "v"));
    assertRows(NAMES, "Patient/2", List.of());
  }

  @Test
  void aThousandResourcesInOneFlush() {
    writer.defineView(NAMES);
    for (int i = 0; i < 1000; i++) {
      writer.replaceRows(
          NAMES.name(), version("Patient/p" + i, 1 + i % 3), names("F" + i, "a", "F" + i, "b"));
    }
    writer.flush();

    Map<String, List<List<Object>>> stored = stored(NAMES);
    assertThat(stored).hasSize(1000);
    for (int i = 0; i < 1000; i += 37) {
      assertThat(stored.get("Patient/p" + i))
          .isEqualTo(expected(NAMES, names("F" + i, "a", "F" + i, "b")));
    }
  }

  @Test
  void definingAViewAgainIsHarmless() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    writer.defineView(NAMES);
    writer.close();
    writer = newWriterOverSameStore();
    writer.open(context);
    writer.defineView(NAMES);
    writer.defineView(NAMES);

    assertRows(NAMES, "Patient/1", names("A", "a"));
    assertThat(reader().columns(NAMES.name())).containsExactly("family", "given");
  }

  @Test
  void aColumnTheViewGainedIsAdded() {
    writer.defineView(NAMES);
    replaceAndFlush(NAMES, version("Patient/1", 1), names("A", "a"));
    ViewTable wider =
        new ViewTable(
            NAMES.name(),
            List.of(
                new Column("family", ColumnType.TEXT),
                new Column("given", ColumnType.TEXT),
                new Column("birth_date", ColumnType.DATE),
                new Column("multiple_birth", ColumnType.INTEGER)));
    writer.close();
    writer = newWriterOverSameStore();
    writer.open(context);
    writer.defineView(wider);
    replaceAndFlush(wider, version("Patient/2", 1), List.of(List.of("B", "b", "1970-01", 2L)));

    assertThat(reader().columns(NAMES.name()))
        .containsExactly("family", "given", "birth_date", "multiple_birth");
    assertRows(wider, "Patient/1", List.of(Arrays.asList("A", "a", null, null)));
    assertRows(wider, "Patient/2", List.of(List.of("B", "b", "1970-01", 2L)));
  }

  @Test
  void aColumnWhoseTypeChangedIsRefusedNamingViewColumnAndFix() {
    ViewTable counts =
        new ViewTable(
            "name_counts",
            List.of(
                new Column("family", ColumnType.TEXT), new Column("total", ColumnType.INTEGER)));
    writer.defineView(counts);
    replaceAndFlush(counts, version("Patient/1", 1), List.of(List.of("A", 1L)));
    ViewTable changed =
        new ViewTable(
            "name_counts",
            List.of(new Column("family", ColumnType.TEXT), new Column("total", ColumnType.TEXT)));

    assertThatThrownBy(() -> writer.defineView(changed))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("name_counts")
        .hasMessageContaining("total")
        .hasMessageMatching("(?s).*(drop|delete) the (table|collection|container).*");
    assertRows(counts, "Patient/1", List.of(List.of("A", 1L)));
  }

  @Test
  void aViewNamedLikeAResourceTypeOrTheStoresOwnTablesIsRefused() {
    for (String name :
        List.of(
            "patient",
            "Observation",
            "OBSERVATION",
            "Summary",
            "aggregate_results",
            "View_Versions",
            "view_definitions")) {
      ViewTable clashing = new ViewTable(name, List.of(new Column("a", ColumnType.TEXT)));
      assertThatThrownBy(() -> writer.defineView(clashing))
          .as(name)
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("view " + name)
          .hasMessageContaining("rename");
    }
  }

  @Test
  void rowsOfAViewNeverDefinedAreRefused() {
    assertThatThrownBy(
            () -> writer.replaceRows("never_defined", version("Patient/1", 1), names("A", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never_defined");
  }

  // ---------------------------------------------------------------- aggregates

  @Test
  void aggregateResultIsWrittenAndReadBack() {
    byte[] female =
        json(
            "{\"gender\":\"female\",\"count\":3,\"mean_age\":41.50,\"tiny\":0.000100,"
                + "\"big\":12345678901234567.25,\"name\":\"Zoë 山田\",\"nested\":{\"a\":[1,2]}}");
    writer.putResult("by_gender", "by_gender|female", 1, female);
    writer.putResult("by_gender", "by_gender|male", 1, json("{\"gender\":\"male\",\"count\":2}"));
    writer.flush();

    assertThat(reader().results("by_gender"))
        .containsOnlyKeys("by_gender|female", "by_gender|male");
    assertResult("by_gender", "by_gender|female", female);
    assertThat(reader().results("never_written")).isEmpty();
  }

  @Test
  void olderOrSameAggregateVersionIsIgnored() {
    byte[] two = json("{\"count\":2}");
    writer.putResult("by_gender", "g|f", 2, two);
    writer.flush();
    writer.putResult("by_gender", "g|f", 1, json("{\"count\":1}"));
    writer.flush();
    writer.putResult("by_gender", "g|f", 2, json("{\"count\":22}"));
    writer.flush();

    assertResult("by_gender", "g|f", two);
  }

  @Test
  void removalLeavesATombstoneALowerVersionCannotUndoButAHigherCan() {
    writer.putResult("by_gender", "g|f", 1, json("{\"count\":1}"));
    writer.flush();
    writer.putResult("by_gender", "g|f", 3, null);
    writer.flush();
    assertResult("by_gender", "g|f", null);

    writer.putResult("by_gender", "g|f", 2, json("{\"count\":2}"));
    writer.flush();
    assertResult("by_gender", "g|f", null);

    byte[] four = json("{\"count\":4}");
    writer.putResult("by_gender", "g|f", 4, four);
    writer.flush();
    assertResult("by_gender", "g|f", four);
  }

  @Test
  void aggregatesAreKeptApart() {
    writer.putResult("by_gender", "same-id", 5, json("{\"of\":\"gender\"}"));
    writer.putResult("by_city", "same-id", 1, json("{\"of\":\"city\"}"));
    writer.flush();

    assertResult("by_gender", "same-id", json("{\"of\":\"gender\"}"));
    assertResult("by_city", "same-id", json("{\"of\":\"city\"}"));
  }

  @Test
  void idsWithAnyCharacterAreKept() {
    List<String> ids =
        List.of(
            "by_city|Saint-Étienne/Loire",
            "by_city|a?b#c\\d%e",
            "by_city|" + "long".repeat(100),
            "by_city|2024-05-01T00:00:00Z",
            "by_city|  spaced  ");
    for (String id : ids) {
      writer.putResult("by_city", id, 1, json("{\"id\":" + ids.indexOf(id) + "}"));
    }
    writer.flush();

    Map<String, byte[]> results = reader().results("by_city");
    assertThat(results).containsOnlyKeys(ids);
    for (String id : ids) {
      assertResult(results, "by_city", id, json("{\"id\":" + ids.indexOf(id) + "}"));
    }
  }

  @Test
  void twoThousandIdsInOneFlush() {
    for (int i = 0; i < 2000; i++) {
      writer.putResult("by_patient", "by_patient|" + i, 1 + i % 3, json("{\"n\":" + i + "}"));
    }
    writer.flush();
    writer.putResult("by_patient", "by_patient|7", 1, json("{\"n\":-1}"));
    writer.flush();

    Map<String, byte[]> results = reader().results("by_patient");
    assertThat(results).hasSize(2000);
    for (int i = 0; i < 2000; i += 41) {
      assertResult(results, "by_patient", "by_patient|" + i, json("{\"n\":" + i + "}"));
    }
    assertResult(results, "by_patient", "by_patient|7", json("{\"n\":7}"));
  }

  // ---------------------------------------------------------------- failures and durability

  @Test
  void transientOutageIsRetriableAndTheRedeliveryHeals() throws Exception {
    writer.defineView(NAMES);
    writer.replaceRows(NAMES.name(), version("Patient/1", 1), names("A", "a", "B", "b"));
    writer.putResult("by_gender", "g|f", 1, json("{\"count\":1}"));
    writer.flush();
    Runnable redelivery =
        () -> {
          writer.replaceRows(NAMES.name(), version("Patient/1", 2), names("C", "c"));
          writer.replaceRows(NAMES.name(), version("Patient/2", 1), names("D", "d"));
          writer.putResult("by_gender", "g|f", 2, json("{\"count\":2}"));
          writer.putResult("by_gender", "g|m", 1, json("{\"count\":1}"));
        };

    try (AutoCloseable outage = interruptStore()) {
      assertThatThrownBy(
              () -> {
                redelivery.run();
                writer.flush();
              })
          .as("a flush while the store is away")
          .isInstanceOf(RetriableException.class);
    }
    // What the runtime does after its backoff: the same writer, everything again, then flush.
    redelivery.run();
    writer.flush();

    assertRows(NAMES, "Patient/1", names("C", "c"));
    assertRows(NAMES, "Patient/2", names("D", "d"));
    assertResult("by_gender", "g|f", json("{\"count\":2}"));
    assertResult("by_gender", "g|m", json("{\"count\":1}"));
  }

  @Test
  void flushedResultsOutliveTheWriterAndStayGuarded() {
    writer.defineView(NAMES);
    writer.replaceRows(NAMES.name(), version("Patient/1", 2), names("Two", "t"));
    writer.putResult("by_gender", "g|f", 2, json("{\"count\":2}"));
    writer.flush();
    writer.replaceRows(NAMES.name(), version("Patient/1", 3), names("Unflushed", "u"));
    writer.close();

    writer = newWriterOverSameStore();
    writer.open(context);
    writer.defineView(NAMES);
    writer.replaceRows(NAMES.name(), version("Patient/1", 1), names("One", "o"));
    writer.putResult("by_gender", "g|f", 1, json("{\"count\":1}"));
    writer.flush();

    assertRows(NAMES, "Patient/1", names("Two", "t"));
    assertResult("by_gender", "g|f", json("{\"count\":2}"));
  }

  @Test
  void emptyFlushesAreFine() {
    writer.flush();
    writer.defineView(NAMES);
    writer.flush();
    writer.flush();

    assertThat(reader().rows(NAMES.name())).isEmpty();
    assertThat(reader().results("by_gender")).isEmpty();
  }
}

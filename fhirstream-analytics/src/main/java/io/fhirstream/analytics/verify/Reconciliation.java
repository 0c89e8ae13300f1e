package io.fhirstream.analytics.verify;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.AnalyticsEngine;
import io.fhirstream.analytics.AnalyticsEngine.Evaluation;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.aggregate.Contribution;
import io.fhirstream.analytics.aggregate.GroupState;
import io.fhirstream.analytics.aggregate.ResultDocuments;
import io.fhirstream.analytics.view.ViewEvaluationException;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.analytics.view.ViewRunner;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.DocumentReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Recomputes every aggregate and view from the resources a store holds (its {@link
 * DocumentReader}), with the same {@link AnalyticsEngine} and the same retractable group state the
 * topology uses, and compares them with what the analytics role wrote (its {@link ResultReader}).
 *
 * <p>Result documents are compared whole except their {@code version}, numbers by value (a store
 * may give {@code 70} back as {@code 70.0}). View rows are compared per resource by number and by
 * their text, number and boolean values; dates and collections are compared by presence only, since
 * stores give them back in their own formats.
 *
 * <p>Run it when both the sink and the analytics role have caught up with the hub; otherwise the
 * changes in flight show up as differences.
 */
public final class Reconciliation {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final int LISTED = 20;

  private final AnalyticsEngine engine;
  private final List<String> differences = new ArrayList<>();
  private long differenceCount;
  private long resultsChecked;
  private long rowsChecked;
  private long skipped;

  private Reconciliation(AnalyticsDefinitions definitions) {
    this.engine = definitions.compile(ViewRunner.forR4());
  }

  /** Recomputes and compares; never changes either store. */
  public static Report run(
      AnalyticsDefinitions definitions, DocumentReader documents, ResultReader results) {
    Reconciliation check = new Reconciliation(definitions);
    Map<String, GroupState> groups = new LinkedHashMap<>();
    Map<String, Map<String, List<ViewRow>>> rows = new HashMap<>();
    for (String type : check.engine.resourceTypes()) {
      check.recompute(type, documents, groups, rows);
    }
    for (CompiledAggregate aggregate : check.engine.aggregates()) {
      check.compareAggregate(aggregate, groups, results.results(aggregate.name()));
    }
    for (ViewTable table : check.engine.viewTables()) {
      check.compareView(table, rows.getOrDefault(table.name(), Map.of()), results);
    }
    return new Report(
        check.engine.aggregates().size(),
        check.engine.views().size(),
        check.resultsChecked,
        check.rowsChecked,
        check.skipped,
        check.differenceCount,
        List.copyOf(check.differences));
  }

  private void recompute(
      String type,
      DocumentReader documents,
      Map<String, GroupState> groups,
      Map<String, Map<String, List<ViewRow>>> rows) {
    Map<String, CompiledAggregate> aggregates = new HashMap<>();
    engine.aggregatesOf(type).forEach(a -> aggregates.put(a.name(), a));
    documents.scan(
        type,
        true,
        document -> {
          if (document.deleted()) {
            return;
          }
          Evaluation evaluation;
          try {
            evaluation = engine.evaluate(type, document.resourceBytes(), () -> {});
          } catch (ViewEvaluationException e) {
            // The topology dead-letters it and keeps no rows of it: neither does the check.
            skipped++;
            return;
          }
          String key = type + "/" + document.id();
          evaluation
              .rows()
              .forEach(
                  (view, viewRows) -> {
                    if (!viewRows.isEmpty()) {
                      rows.computeIfAbsent(view, v -> new HashMap<>()).put(key, viewRows);
                    }
                  });
          evaluation
              .contributions()
              .forEach(
                  (name, contributions) -> {
                    CompiledAggregate aggregate = aggregates.get(name);
                    for (Contribution c : contributions) {
                      groups
                          .computeIfAbsent(
                              c.resultId(),
                              id ->
                                  new GroupState(aggregate.functions(), c.group(), c.windowStart()))
                          .add(c.inputs());
                    }
                  });
        });
  }

  private void compareAggregate(
      CompiledAggregate aggregate, Map<String, GroupState> groups, Map<String, byte[]> stored) {
    String prefix = aggregate.name() + "|";
    TreeSet<String> ids = new TreeSet<>();
    groups.keySet().stream()
        .filter(id -> id.equals(aggregate.name()) || id.startsWith(prefix))
        .forEach(ids::add);
    ids.addAll(stored.keySet());
    for (String id : ids) {
      resultsChecked++;
      GroupState expected = groups.get(id);
      byte[] actual = stored.get(id);
      if (expected == null || expected.rows() == 0) {
        difference(id + ": in the store, but no resource makes it");
      } else if (actual == null) {
        difference(id + ": missing from the store");
      } else {
        JsonNode want = canonical(ResultDocuments.render(aggregate, id, expected));
        JsonNode got = canonical(actual);
        if (!want.equals(got)) {
          difference(id + ": differs in " + differingFields(want, got));
        }
      }
    }
  }

  private void compareView(
      ViewTable table, Map<String, List<ViewRow>> expected, ResultReader results) {
    Map<String, List<List<Object>>> stored = results.rows(table.name());
    List<String> columns = results.columns(table.name());
    TreeSet<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(stored.keySet());
    for (String key : keys) {
      List<ViewRow> want = expected.getOrDefault(key, List.of());
      List<List<Object>> got = stored.getOrDefault(key, List.of());
      rowsChecked += want.size();
      if (want.size() != got.size()) {
        difference(
            table.name()
                + " "
                + key
                + ": "
                + want.size()
                + " rows expected, "
                + got.size()
                + " stored");
        continue;
      }
      for (int r = 0; r < want.size(); r++) {
        for (ViewTable.Column column : table.columns()) {
          int at = columns.indexOf(column.name());
          Object stores = at < 0 ? null : got.get(r).get(at);
          Object made = want.get(r).get(column.name());
          if (!sameValue(column.type(), made, stores)) {
            difference(
                table.name() + " " + key + " row " + r + ": column " + column.name() + " differs");
          }
        }
      }
    }
  }

  private static boolean sameValue(ColumnType type, Object expected, Object stored) {
    if (expected == null || stored == null) {
      return expected == null && stored == null;
    }
    return switch (type) {
      case TEXT -> expected.toString().equals(stored.toString());
      case INTEGER, DECIMAL ->
          new BigDecimal(expected.toString()).compareTo(new BigDecimal(stored.toString())) == 0;
      case BOOLEAN ->
          expected.equals(
              stored instanceof Number n ? n.longValue() != 0 : Boolean.valueOf(stored.toString()));
      default -> true;
    };
  }

  private void difference(String what) {
    differenceCount++;
    if (differences.size() < LISTED) {
      differences.add(what);
    }
  }

  private static String differingFields(JsonNode want, JsonNode got) {
    List<String> fields = new ArrayList<>();
    for (Iterator<String> names = want.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!want.get(name).equals(got.get(name))) {
        fields.add(name);
      }
    }
    return fields.isEmpty() ? "its fields" : String.join(", ", fields);
  }

  /** The document without its version, numbers as plain decimals, keys sorted. */
  static JsonNode canonical(byte[] document) {
    try {
      JsonNode node = JSON.readTree(document);
      ((ObjectNode) node).remove("version");
      return normalize(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode normalize(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), normalize(e.getValue())));
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isNumber()) {
      BigDecimal value = node.decimalValue();
      return JSON.getNodeFactory()
          .textNode(value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString());
    }
    return node;
  }

  /**
   * What the check found.
   *
   * @param aggregates how many aggregates were compared
   * @param views how many views were compared
   * @param results how many result ids (expected or stored) were compared
   * @param rows how many view rows were expected
   * @param skipped resources the views cannot read (dead letters of the topology too)
   * @param differenceCount how many differences there are
   * @param differences the first of them, by id
   */
  public record Report(
      int aggregates,
      int views,
      long results,
      long rows,
      long skipped,
      long differenceCount,
      List<String> differences) {

    public boolean consistent() {
      return differenceCount == 0;
    }
  }
}

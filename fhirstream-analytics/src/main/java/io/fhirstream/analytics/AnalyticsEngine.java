package io.fhirstream.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.analytics.aggregate.AggregateDefinition;
import io.fhirstream.analytics.aggregate.AggregateDefinition.SourceColumn;
import io.fhirstream.analytics.aggregate.AggregateDefinitionException;
import io.fhirstream.analytics.aggregate.CompiledAggregate;
import io.fhirstream.analytics.aggregate.Contribution;
import io.fhirstream.analytics.view.CompiledView;
import io.fhirstream.analytics.view.ParsedResource;
import io.fhirstream.analytics.view.ViewDefinition;
import io.fhirstream.analytics.view.ViewDefinitionException;
import io.fhirstream.analytics.view.ViewEvaluationException;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.analytics.view.ViewRunner;
import io.fhirstream.api.results.ViewTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The definitions compiled for one thread: each resource is parsed once, every view over its type
 * makes its rows, and every aggregate over those views its contributions. Used by the streaming
 * topology and by the recomputation {@code fhirstream analytics verify} makes from the store, so
 * both get the same rows and contributions from the same resource.
 *
 * <p>Not thread-safe, like the {@link ViewRunner} it holds.
 */
public final class AnalyticsEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ViewRunner runner;
  private final List<CompiledView> views = new ArrayList<>();
  private final List<CompiledAggregate> aggregates = new ArrayList<>();
  private final Map<String, List<CompiledView>> storedViewsByType = new LinkedHashMap<>();
  private final Map<String, List<CompiledAggregate>> aggregatesByType = new LinkedHashMap<>();

  AnalyticsEngine(AnalyticsDefinitions definitions, ViewRunner runner) {
    this.runner = runner;
    Map<String, CompiledView> byName = new LinkedHashMap<>();
    for (ViewDefinition definition : definitions.views()) {
      CompiledView view = runner.compile(definition);
      views.add(view);
      byName.put(view.name(), view);
      storedViewsByType.computeIfAbsent(view.resourceType(), t -> new ArrayList<>()).add(view);
    }
    for (AggregateDefinition definition : definitions.aggregates()) {
      CompiledView view =
          definition.view() != null ? byName.get(definition.view()) : columnsView(definition);
      if (view == null) {
        throw new AggregateDefinitionException(
            definition.label(),
            "view",
            "no view named '"
                + definition.view()
                + "'; the views are "
                + byName.keySet()
                + " (put yours in the definitions directory's views/)");
      }
      CompiledAggregate aggregate =
          CompiledAggregate.compile(definition, view, definitions.referenceDate());
      aggregates.add(aggregate);
      aggregatesByType.computeIfAbsent(view.resourceType(), t -> new ArrayList<>()).add(aggregate);
    }
  }

  /** An aggregate over a resource type reads a view of its own columns, kept nowhere. */
  private CompiledView columnsView(AggregateDefinition definition) {
    ObjectNode view = JSON.createObjectNode();
    view.put("resourceType", "ViewDefinition");
    view.put("name", definition.name());
    view.put("status", "active");
    view.put("resource", definition.resource());
    ArrayNode columns = view.putArray("select").addObject().putArray("column");
    for (SourceColumn column : definition.columns()) {
      ObjectNode node = columns.addObject().put("name", column.name()).put("path", column.path());
      if (column.type() != null) {
        node.put("type", column.type());
      }
    }
    try {
      return runner.compile(ViewDefinition.fromJson(view.toString(), definition.source()));
    } catch (ViewDefinitionException e) {
      String element =
          e.element() == null ? null : e.element().replace("select[0].column", "columns");
      throw new AggregateDefinitionException(
          definition.label(), element == null ? "resource" : element, e.problem(), e);
    }
  }

  /** What a store needs to hold the kept views' rows: their names and typed columns. */
  public List<ViewTable> viewTables() {
    List<ViewTable> tables = new ArrayList<>();
    for (CompiledView view : views) {
      tables.add(
          new ViewTable(
              view.name(),
              view.columns().stream()
                  .map(column -> new ViewTable.Column(column.name(), column.type()))
                  .toList()));
    }
    return tables;
  }

  /** The views whose rows are kept, in definition order. */
  public List<CompiledView> views() {
    return views;
  }

  public List<CompiledAggregate> aggregates() {
    return aggregates;
  }

  /** Every resource type a view or an aggregate reads. */
  public Set<String> resourceTypes() {
    Set<String> types = new LinkedHashSet<>(storedViewsByType.keySet());
    types.addAll(aggregatesByType.keySet());
    return types;
  }

  /** The kept views over a type. */
  public List<CompiledView> viewsOf(String resourceType) {
    return storedViewsByType.getOrDefault(resourceType, List.of());
  }

  /** The aggregates over a type. */
  public List<CompiledAggregate> aggregatesOf(String resourceType) {
    return aggregatesByType.getOrDefault(resourceType, List.of());
  }

  /**
   * Parses a resource once and makes every kept view's rows and every aggregate's contributions.
   *
   * @param json the resource, or null for a deletion (no rows, no contributions)
   * @param noEventTime called for each row a windowed aggregate cannot place in time
   * @throws ViewEvaluationException when the resource cannot be parsed or breaks a view's rule
   */
  public Evaluation evaluate(String resourceType, byte[] json, Runnable noEventTime) {
    Map<String, List<ViewRow>> rows = new LinkedHashMap<>();
    Map<String, List<Contribution>> contributions = new LinkedHashMap<>();
    if (json == null) {
      viewsOf(resourceType).forEach(view -> rows.put(view.name(), List.of()));
      aggregatesOf(resourceType).forEach(a -> contributions.put(a.name(), List.of()));
      return new Evaluation(rows, contributions);
    }
    ParsedResource resource = runner.parse(json);
    if (!resource.resourceType().equals(resourceType)) {
      throw new ViewEvaluationException(
          "the resource is a " + resource.resourceType() + ", not a " + resourceType);
    }
    Map<CompiledView, List<ViewRow>> made = new LinkedHashMap<>();
    for (CompiledView view : viewsOf(resourceType)) {
      List<ViewRow> viewRows = view.rows(resource);
      made.put(view, viewRows);
      rows.put(view.name(), viewRows);
    }
    for (CompiledAggregate aggregate : aggregatesOf(resourceType)) {
      List<ViewRow> viewRows = made.get(aggregate.view());
      if (viewRows == null) {
        viewRows = aggregate.view().rows(resource);
        made.put(aggregate.view(), viewRows);
      }
      contributions.put(aggregate.name(), aggregate.contributions(viewRows, noEventTime));
    }
    return new Evaluation(rows, contributions);
  }

  /**
   * What one version of a resource makes.
   *
   * @param rows per kept view over its type (by name), its rows
   * @param contributions per aggregate over its type (by name), its contributions
   */
  public record Evaluation(
      Map<String, List<ViewRow>> rows, Map<String, List<Contribution>> contributions) {}
}

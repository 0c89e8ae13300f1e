package io.fhirstream.analytics.view;

import io.fhirstream.analytics.view.internal.ViewPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated view, ready to make rows: every FHIRPath expression parsed once and checked against
 * the R4 model. Made by {@link ViewRunner#compile} or one of the runner's {@code load} methods.
 *
 * <p>For each change of a resource of type {@link #resourceType()}, a caller parses it once ({@link
 * ViewRunner#parse}) and asks every view over that type for its {@link #rows}; those rows replace
 * the rows the resource's previous version made. A deletion makes no rows.
 *
 * <p>Not thread-safe: like its {@link ViewRunner}, use it from one thread.
 */
public final class CompiledView {
  private final ViewDefinition definition;
  private final ViewPlan plan;
  private final List<ViewColumn> columns;
  private final Map<String, Integer> index = new HashMap<>();

  CompiledView(ViewDefinition definition, ViewPlan plan) {
    this.definition = definition;
    this.plan = plan;
    this.columns = plan.columns();
    for (int i = 0; i < columns.size(); i++) {
      index.put(columns.get(i).name(), i);
    }
  }

  /** The view's {@code name}, or {@code null} when its JSON has none. */
  public String name() {
    return definition.name();
  }

  /** The resource type it reads, e.g. {@code Observation}. */
  public String resourceType() {
    return definition.resource();
  }

  /** Its columns in row order, with their types. */
  public List<ViewColumn> columns() {
    return columns;
  }

  public ViewDefinition definition() {
    return definition;
  }

  /** Whether a path may read the resource's narrative ({@code text}), which parsing then keeps. */
  public boolean readsNarrative() {
    return plan.readsNarrative();
  }

  /**
   * The rows this view makes from one resource: none when a {@code where} filter is false or a
   * {@code forEach} finds nothing, several when a select iterates.
   *
   * @param resource a resource of this view's type, parsed by {@link ViewRunner#parse}
   * @throws IllegalArgumentException if the resource is of another type
   * @throws ViewEvaluationException if this resource breaks a rule of the view (several values in a
   *     column not declared a collection, a where path giving no boolean); the message names the
   *     resource and the element but no value
   */
  public List<ViewRow> rows(ParsedResource resource) {
    if (!resource.resourceType().equals(definition.resource())) {
      throw new IllegalArgumentException(
          "view "
              + definition.label()
              + " reads "
              + definition.resource()
              + ", not "
              + resource.resourceType());
    }
    if (plan.readsNarrative() && resource.withoutNarrative()) {
      throw new IllegalStateException(
          "view "
              + definition.label()
              + " reads the narrative"
              + " (text), which was left out when the resource was parsed: parse with the runner that"
              + " compiled the view, after compiling it");
    }
    List<Object[]> raw = plan.rows(resource.resource());
    List<ViewRow> rows = new ArrayList<>(raw.size());
    for (Object[] values : raw) {
      rows.add(new ViewRow(columns, index, values));
    }
    return rows;
  }

  @Override
  public String toString() {
    return "CompiledView["
        + definition.label()
        + " over "
        + definition.resource()
        + ", "
        + columns.size()
        + " columns]";
  }
}

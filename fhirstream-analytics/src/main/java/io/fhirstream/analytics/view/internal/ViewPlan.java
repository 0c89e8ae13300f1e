package io.fhirstream.analytics.view.internal;

import io.fhirstream.analytics.view.ViewColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A compiled view: its columns, constants, where filters and selects, ready to make rows from a
 * parsed resource. Made by {@link ViewCompiler}.
 */
public final class ViewPlan {
  private final FhirPathSupport fhirPath;
  private final String label;
  private final List<ViewColumn> columns;
  private final Map<String, List<Base>> constants;
  private final List<ExpressionNode> where;
  private final List<String> whereElements;
  private final List<SelectPlan> selects;
  private final boolean readsNarrative;

  ViewPlan(
      FhirPathSupport fhirPath,
      String label,
      List<ViewColumn> columns,
      Map<String, List<Base>> constants,
      List<ExpressionNode> where,
      List<String> whereElements,
      List<SelectPlan> selects,
      boolean readsNarrative) {
    this.fhirPath = fhirPath;
    this.label = label;
    this.columns = List.copyOf(columns);
    this.constants = Map.copyOf(constants);
    this.where = List.copyOf(where);
    this.whereElements = List.copyOf(whereElements);
    this.selects = List.copyOf(selects);
    this.readsNarrative = readsNarrative;
  }

  /** Whether a path of the view may read a resource's narrative ({@code text}). */
  public boolean readsNarrative() {
    return readsNarrative;
  }

  public List<ViewColumn> columns() {
    return columns;
  }

  /**
   * The rows this view makes from one resource, each an array in column order.
   *
   * @throws io.fhirstream.analytics.view.ViewEvaluationException if this resource's content breaks
   *     a rule of the view (several values in a single-valued column, ...)
   */
  public List<Object[]> rows(Resource resource) {
    Evaluation eval = new Evaluation(fhirPath, label, resource);
    Scope scope = new Scope(resource, constants, 0);
    for (int i = 0; i < where.size(); i++) {
      List<Base> result = eval.evaluate(scope, resource, where.get(i), whereElements.get(i));
      if (result.isEmpty()) {
        return List.of();
      }
      if (result.size() > 1 || !(result.get(0) instanceof BooleanType b)) {
        throw eval.failure(
            whereElements.get(i),
            "gave "
                + (result.size() > 1 ? result.size() + " values" : "a " + result.get(0).fhirType())
                + ", not one boolean");
      }
      if (!Boolean.TRUE.equals(b.getValue())) {
        return List.of();
      }
    }
    List<Object[]> rows = new ArrayList<>(1);
    rows.add(new Object[0]);
    for (SelectPlan s : selects) {
      rows = SelectPlan.product(rows, s.rows(eval, resource, scope));
      if (rows.isEmpty()) {
        break;
      }
    }
    return rows;
  }
}

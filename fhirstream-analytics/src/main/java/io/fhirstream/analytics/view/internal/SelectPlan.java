package io.fhirstream.analytics.view.internal;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;

/**
 * A compiled select. For each focus (the enclosing one, or each item of forEach / forEachOrNull /
 * repeat) it makes the cross product of its columns' row, each nested select's rows and the
 * concatenated rows of its unionAll branches; a row is an array of this select's width, its columns
 * first, then the nested selects', then the unionAll's (the specification's order).
 */
final class SelectPlan {
  enum Iteration {
    NONE,
    FOR_EACH,
    FOR_EACH_OR_NULL,
    REPEAT
  }

  /** The empty focus of forEachOrNull when its path gives nothing. */
  private static final Base NO_ITEM = null;

  private final String element;
  private final Iteration iteration;
  private final List<ExpressionNode> iterate;
  private final List<ColumnPlan> columns;
  private final List<SelectPlan> selects;
  private final List<SelectPlan> unionAll;
  private final int width;

  SelectPlan(
      String element,
      Iteration iteration,
      List<ExpressionNode> iterate,
      List<ColumnPlan> columns,
      List<SelectPlan> selects,
      List<SelectPlan> unionAll) {
    this.element = element;
    this.iteration = iteration;
    this.iterate = List.copyOf(iterate);
    this.columns = List.copyOf(columns);
    this.selects = List.copyOf(selects);
    this.unionAll = List.copyOf(unionAll);
    int w = columns.size();
    for (SelectPlan s : selects) {
      w += s.width;
    }
    if (!unionAll.isEmpty()) {
      w += unionAll.get(0).width;
    }
    this.width = w;
  }

  int width() {
    return width;
  }

  List<Object[]> rows(Evaluation eval, Base focus, Scope scope) {
    List<Base> foci = foci(eval, focus, scope);
    List<Object[]> out = new ArrayList<>();
    for (int i = 0; i < foci.size(); i++) {
      Base item = foci.get(i);
      // forEachOrNull without items: the select runs once on an empty focus, so its paths give
      // nothing (null) while %rowIndex and constants keep their values.
      Scope itemScope = iteration == Iteration.NONE ? scope : scope.withRowIndex(i);
      out.addAll(rowsFor(eval, item, itemScope));
    }
    return out;
  }

  private List<Object[]> rowsFor(Evaluation eval, Base item, Scope scope) {
    Object[] own = new Object[columns.size()];
    for (int c = 0; c < own.length; c++) {
      own[c] = columns.get(c).value(eval, item, scope);
    }
    List<Object[]> rows = new ArrayList<>(1);
    rows.add(own);
    for (SelectPlan s : selects) {
      rows = product(rows, s.rows(eval, item, scope));
      if (rows.isEmpty()) {
        return rows;
      }
    }
    if (!unionAll.isEmpty()) {
      List<Object[]> union = new ArrayList<>();
      for (SelectPlan branch : unionAll) {
        union.addAll(branch.rows(eval, item, scope));
      }
      rows = product(rows, union);
    }
    return rows;
  }

  private List<Base> foci(Evaluation eval, Base focus, Scope scope) {
    switch (iteration) {
      case NONE:
        return java.util.Collections.singletonList(focus);
      case FOR_EACH:
        return eval.evaluate(scope, focus, iterate.get(0), element + ".forEach");
      case FOR_EACH_OR_NULL:
        List<Base> items = eval.evaluate(scope, focus, iterate.get(0), element + ".forEachOrNull");
        return items.isEmpty() ? java.util.Collections.singletonList(NO_ITEM) : items;
      default:
        List<Base> reached = new ArrayList<>();
        repeat(eval, focus, scope, reached, 0);
        return reached;
    }
  }

  /** Depth first, in document order: each item is followed by the items reached from it. */
  private void repeat(Evaluation eval, Base node, Scope scope, List<Base> reached, int depth) {
    if (depth > 100) {
      throw eval.failure(element + ".repeat", "nests deeper than 100 levels");
    }
    for (int p = 0; p < iterate.size(); p++) {
      for (Base child :
          eval.evaluate(scope, node, iterate.get(p), element + ".repeat[" + p + "]")) {
        reached.add(child);
        repeat(eval, child, scope, reached, depth + 1);
      }
    }
  }

  /** Every row of {@code left} joined with every row of {@code right}. */
  static List<Object[]> product(List<Object[]> left, List<Object[]> right) {
    List<Object[]> out = new ArrayList<>(left.size() * right.size());
    for (Object[] l : left) {
      for (Object[] r : right) {
        Object[] row = new Object[l.length + r.length];
        System.arraycopy(l, 0, row, 0, l.length);
        System.arraycopy(r, 0, row, l.length, r.length);
        out.add(row);
      }
    }
    return out;
  }
}

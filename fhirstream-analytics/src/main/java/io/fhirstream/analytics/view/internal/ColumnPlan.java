package io.fhirstream.analytics.view.internal;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;

/** One column: its compiled path and how its result becomes a value. */
final class ColumnPlan {
  private final String element;
  private final ExpressionNode path;
  private final boolean collection;

  ColumnPlan(String element, ExpressionNode path, boolean collection) {
    this.element = element;
    this.path = path;
    this.collection = collection;
  }

  Object value(Evaluation eval, Base focus, Scope scope) {
    List<Base> result = eval.evaluate(scope, focus, path, element + ".path");
    if (collection) {
      List<Object> values = new ArrayList<>(result.size());
      for (Base item : result) {
        Object v = convert(eval, item);
        if (v != null) {
          values.add(v);
        }
      }
      return values;
    }
    if (result.isEmpty()) {
      return null;
    }
    if (result.size() > 1) {
      throw eval.failure(
          element + ".path",
          "gave "
              + result.size()
              + " values; declare the"
              + " column \"collection\": true, or narrow the path (first(), where(...))");
    }
    return convert(eval, result.get(0));
  }

  private Object convert(Evaluation eval, Base item) {
    Object v = Values.of(item);
    if (v == Values.COMPLEX) {
      throw eval.failure(
          element + ".path",
          "gave a "
              + item.fhirType()
              + ", a complex type; a"
              + " column holds primitive values: select an element of it");
    }
    return v;
  }
}

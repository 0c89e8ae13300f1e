package io.fhirstream.analytics.view.internal;

import io.fhirstream.analytics.view.ViewEvaluationException;
import java.util.List;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;

/**
 * Evaluating one view over one resource: runs the engine and turns its failures into {@link
 * ViewEvaluationException}s naming the view, the element and the resource, never a value.
 */
final class Evaluation {
  private final FhirPathSupport fhirPath;
  private final String view;
  private final Resource resource;

  Evaluation(FhirPathSupport fhirPath, String view, Resource resource) {
    this.fhirPath = fhirPath;
    this.view = view;
    this.resource = resource;
  }

  List<Base> evaluate(Scope scope, Base focus, ExpressionNode expression, String element) {
    try {
      return fhirPath.evaluate(scope, focus, expression);
    } catch (FHIRException
        | ClassCastException
        | IllegalArgumentException
        | UnsupportedOperationException
        | IndexOutOfBoundsException e) {
      // The engine's message may quote resource content, so only its kind is reported.
      throw failure(element, "the FHIRPath engine failed (" + e.getClass().getSimpleName() + ")");
    }
  }

  ViewEvaluationException failure(String element, String problem) {
    return new ViewEvaluationException(
        "View "
            + view
            + " failed on "
            + resource.fhirType()
            + "/"
            + resource.getIdElement().getIdPart()
            + " at "
            + element
            + ": "
            + problem);
  }
}

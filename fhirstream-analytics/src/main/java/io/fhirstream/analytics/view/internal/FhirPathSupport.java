package io.fhirstream.analytics.view.internal;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;

/**
 * The HL7 R4 FHIRPath engine, set up for views: SQL on FHIR functions and constants through {@link
 * ViewHostServices}, the R4 type hierarchy through {@link R4TypeDefinitions}.
 *
 * <p>Expressions are parsed once, when a view is compiled, and evaluated as trees afterwards.
 */
public final class FhirPathSupport {
  private final FhirContext context;
  private final R4TypeDefinitions types;
  private final FHIRPathEngine engine;

  public FhirPathSupport(FhirContext context) {
    this.context = context;
    this.types = new R4TypeDefinitions(context);
    this.engine = new FHIRPathEngine(new HapiWorkerContext(context, types));
    engine.setHostServices(new ViewHostServices());
    // FHIRPath says as() on several items is an error; views use ofType() and first() instead,
    // and an error here would drop a resource's rows for a harmless path.
    engine.setDoNotEnforceAsSingletonRule(true);
  }

  public FhirContext context() {
    return context;
  }

  R4TypeDefinitions types() {
    return types;
  }

  /** Parses an expression; throws the engine's exception with its position on a syntax error. */
  ExpressionNode parse(String expression) {
    return engine.parse(expression);
  }

  List<Base> evaluate(Scope scope, Base focus, ExpressionNode expression) {
    return engine.evaluate(scope, scope.resource(), scope.resource(), focus, expression);
  }
}

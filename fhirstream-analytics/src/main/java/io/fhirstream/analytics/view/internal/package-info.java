/**
 * Implementation of the view engine; not an API. {@link
 * io.fhirstream.analytics.view.internal.ViewCompiler} checks and compiles a view into a {@link
 * io.fhirstream.analytics.view.internal.ViewPlan} of parsed FHIRPath expressions that {@code
 * FhirPathSupport} evaluates with the HL7 R4 engine.
 */
package io.fhirstream.analytics.view.internal;

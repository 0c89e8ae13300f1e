/**
 * SQL on FHIR v2 views over FHIR R4 resources: {@link io.fhirstream.analytics.view.ViewDefinition}
 * (read from JSON, shape checked), {@link io.fhirstream.analytics.view.ViewRunner} (compiles views
 * against the R4 model and parses resources), {@link io.fhirstream.analytics.view.CompiledView}
 * (rows from one parsed resource) and the typed results {@link
 * io.fhirstream.analytics.view.ViewRow} and {@link io.fhirstream.analytics.view.ViewColumn}.
 *
 * <p>Life cycle: load and compile every view once at start-up (an invalid view stops start-up with
 * a {@link io.fhirstream.analytics.view.ViewDefinitionException}); then for each change of a
 * resource parse it once and ask each view over its type for its rows, which replace the rows of
 * the resource's previous version. A {@link io.fhirstream.analytics.view.ViewEvaluationException}
 * belongs to that one resource (a dead letter), never to the view.
 *
 * <p>Uses HAPI's R4 model and the HL7 R4 FHIRPath engine, Jackson and SLF4J, and of fhirstream only
 * the api's {@link io.fhirstream.api.results.ColumnType}. {@code internal} holds the
 * implementation.
 */
package io.fhirstream.analytics.view;

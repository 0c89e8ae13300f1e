/**
 * The names of the pipeline's meters, declared once: {@link io.fhirstream.api.metrics.Meters} holds
 * each name a component registers under, with its kind, unit, tags and meaning, and renders the
 * metrics reference ({@code docs/METRICS.md}) from them. A plugin registers its meters in the
 * {@link io.micrometer.core.instrument.MeterRegistry} its context hands it, under these names.
 */
package io.fhirstream.api.metrics;

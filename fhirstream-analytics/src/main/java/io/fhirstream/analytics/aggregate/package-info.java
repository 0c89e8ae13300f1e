/**
 * Aggregates declared in JSON ({@link io.fhirstream.analytics.aggregate.AggregateJsonReader}): what
 * they read, keep, group and measure, and their time windows; bound to a view by {@link
 * io.fhirstream.analytics.aggregate.CompiledAggregate}, which turns a resource's rows into {@link
 * io.fhirstream.analytics.aggregate.Contribution}s; {@link
 * io.fhirstream.analytics.aggregate.GroupState} keeps a result retractable, and {@link
 * io.fhirstream.analytics.aggregate.ResultDocuments} renders it.
 */
package io.fhirstream.analytics.aggregate;

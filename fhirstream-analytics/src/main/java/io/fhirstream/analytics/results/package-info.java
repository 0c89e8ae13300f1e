/**
 * The analytics role's results sink: reads the view and aggregate topics the topology writes and
 * hands them to the store's {@link io.fhirstream.api.results.ResultWriter}, committing offsets only
 * after the writer's flush.
 */
package io.fhirstream.analytics.results;

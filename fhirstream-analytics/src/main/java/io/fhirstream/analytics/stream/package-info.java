/**
 * The analytics role's Kafka Streams topology ({@link
 * io.fhirstream.analytics.stream.AnalyticsTopology#build}): stage A per resource (version guard,
 * parse once, view rows, deltas, late records, dead letters), stage B per result (retractable
 * state, versioned documents). {@link io.fhirstream.analytics.stream.TopicNames} names the topics,
 * {@link io.fhirstream.analytics.stream.ViewRecords} is the format of a view's records.
 */
package io.fhirstream.analytics.stream;

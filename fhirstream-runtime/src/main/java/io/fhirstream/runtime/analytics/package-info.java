/**
 * The analytics role in the runtime: the Kafka Streams application of fhirstream-analytics started
 * on the hub's settings, its results sink writing into the store's result writer, what the hub must
 * offer it (transactions, internal topics), its metrics, and whether it has caught up.
 */
package io.fhirstream.runtime.analytics;

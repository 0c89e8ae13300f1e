/**
 * The sink runtime: a consumer group reads resource topics in batches, hands them to a {@link
 * io.fhirstream.api.store.DocumentWriter}, and commits offsets only after the sink's flush returns.
 * Events that cannot be handled go to the dead-letter topic with the reason.
 */
package io.fhirstream.kafka.sink;

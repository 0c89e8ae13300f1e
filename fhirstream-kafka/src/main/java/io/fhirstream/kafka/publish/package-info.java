/** Publishing change events and capture cursors to Kafka. */
package io.fhirstream.kafka.publish;

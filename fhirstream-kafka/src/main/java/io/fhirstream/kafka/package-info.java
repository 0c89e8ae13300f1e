/**
 * The event hub over the Kafka protocol (Apache Kafka, Azure Event Hubs' Kafka endpoint): topic
 * layout and settings, the event codec, publishing, the cursor store, and the sink runner.
 */
package io.fhirstream.kafka;

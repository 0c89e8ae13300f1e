/** A hub topic that another system publishes to, read by a source as its feed of changes. */
package io.fhirstream.kafka.feed;

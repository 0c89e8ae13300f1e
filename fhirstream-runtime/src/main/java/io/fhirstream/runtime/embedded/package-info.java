/**
 * The embedded runtime for one-machine use: a real Apache Kafka broker in-process. It lives in the
 * app module, behind {@link io.fhirstream.runtime.embedded.KafkaBroker}, so no library module
 * carries the broker's weight.
 */
package io.fhirstream.runtime.embedded;

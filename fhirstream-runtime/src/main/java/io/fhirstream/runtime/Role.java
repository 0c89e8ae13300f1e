package io.fhirstream.runtime;

/** The parts of the pipeline one instance can run; several instances may split them. */
public enum Role {
  /** FHIR change capture into the event hub. */
  SOURCE,
  /** Event hub into the document store. */
  SINK,
  /** Event hub into views and aggregates, kept current in the store (Kafka Streams). */
  ANALYTICS
}

/**
 * The fault harness: the pipeline, the FHIR server and the Kafka broker each in its own OS process,
 * a workload of mixed changes, injected faults, and the comparison of the store with the server.
 */
package io.fhirstream.fault;

/**
 * The demo: an in-process FHIR R4 server with synthetic patients, a workload of creates, updates
 * and deletes while the pipeline streams, and the check that the store ends equal to the server.
 */
package io.fhirstream.demo;

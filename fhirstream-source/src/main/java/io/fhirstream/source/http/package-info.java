/**
 * Reading pages from the FHIR server: raw bytes (never parsed into HAPI's model on the hot path),
 * retries in one place, and links followed only on the configured server's origin.
 */
package io.fhirstream.source.http;

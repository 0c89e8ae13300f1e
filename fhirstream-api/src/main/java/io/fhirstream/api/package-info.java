/**
 * The fhirstream SPI and event model.
 *
 * <p>A {@link io.fhirstream.api.ChangeEvent} is one version of one FHIR resource (or its deletion)
 * as it travels from the FHIR server through the event hub to a document store. A {@link
 * io.fhirstream.api.DocumentSink} writes batches of events into a store; the runtime owns polling,
 * retries, dead letters and offset commits, so a sink only has to make {@code write} idempotent and
 * version-guarded, and {@code flush} durable.
 *
 * <p>This module has no runtime of its own and depends only on Jackson's streaming core.
 */
package io.fhirstream.api;

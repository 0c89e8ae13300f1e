/**
 * The fhirstream event model, shared by every SPI.
 *
 * <p>A {@link io.fhirstream.api.ChangeEvent} is one version of one FHIR resource (or its deletion)
 * as it travels from the origin through the event hub to a document store; {@link
 * io.fhirstream.api.VersionOrder} says which of two versions is newer. The three kinds of error are
 * here too: {@link io.fhirstream.api.RetriableException} (transient; the runtime retries), {@link
 * io.fhirstream.api.PipelineException} (fatal, with a clear message) and {@link
 * io.fhirstream.api.BadEventException} (one event; it goes to the dead-letter topic).
 *
 * <p>The SPIs: {@link io.fhirstream.api.source} (change sources), {@link io.fhirstream.api.store}
 * (document stores), {@link io.fhirstream.api.results} (the analytics role's results in a store),
 * {@link io.fhirstream.api.hub} (what a source needs of the event hub), {@link
 * io.fhirstream.api.config} (declared settings). This module has no runtime of its own.
 */
package io.fhirstream.api;

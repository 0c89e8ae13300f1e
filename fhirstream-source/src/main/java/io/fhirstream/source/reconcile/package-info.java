/**
 * Reconciliation: compares what a store holds with what the FHIR server holds now, type by type
 * (ids, versions, deletions), and repairs the drift by re-publishing the server's current version
 * (or its deletion) through the hub, where the sink's version guard decides as for any other event.
 * Reads the store through the api's {@link io.fhirstream.api.store.DocumentReader} and publishes
 * through its {@link io.fhirstream.api.hub.EventPublisher}, so it works for every store and hub.
 */
package io.fhirstream.source.reconcile;

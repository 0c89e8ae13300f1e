/**
 * Azure Health Data Services FHIR events (FhirResourceCreated, Updated, Deleted; delivered by Event
 * Grid to an event hub) as a feed of changes: {@link io.fhirstream.source.events.AhdsEvents} reads
 * them in the Event Grid and CloudEvents schemas. They carry ids only, arrive at least once and in
 * no order, so the versions they name are read from the FHIR server.
 */
package io.fhirstream.source.events;

/**
 * FHIR change capture: reads what changed on a FHIR R4 server ({@code _history?_since} or a {@code
 * _lastUpdated} search), publishes it through an {@link io.fhirstream.api.hub.EventPublisher} and
 * advances a durable cursor only after the publisher acknowledged everything the cursor covers.
 */
package io.fhirstream.source;

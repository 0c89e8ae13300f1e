/**
 * What change capture needs from the event hub, so the source does not depend on Kafka: an {@link
 * io.fhirstream.api.hub.EventPublisher} that acknowledges durably and a {@link
 * io.fhirstream.api.hub.CursorStore} that remembers how far capture got.
 *
 * <p>The rule both serve: <b>a cursor moves only after every event it covers is acknowledged.</b>
 */
package io.fhirstream.api.hub;

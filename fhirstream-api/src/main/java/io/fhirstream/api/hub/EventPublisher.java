package io.fhirstream.api.hub;

import io.fhirstream.api.ChangeEvent;

/**
 * Publishes change events to the event hub.
 *
 * <p>{@link #send} is asynchronous; {@link #flush} blocks until every event sent before it is
 * durably acknowledged by the hub, and throws the first failure of any of them. A caller advances
 * its cursor only after flush returns.
 */
public interface EventPublisher extends AutoCloseable {

  /** Queues one event. Events of the same resource are kept in the order they are sent. */
  void send(ChangeEvent event);

  /** Waits until everything sent is acknowledged; rethrows the first asynchronous failure. */
  void flush();

  @Override
  default void close() {}
}

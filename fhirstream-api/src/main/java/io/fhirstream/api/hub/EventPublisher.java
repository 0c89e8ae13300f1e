package io.fhirstream.api.hub;

import io.fhirstream.api.ChangeEvent;
import java.util.List;

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

  /**
   * Sends a batch and waits until each of its events is acknowledged, throwing if any of them
   * failed. Unlike {@link #flush}, an implementation may report only this batch's failures, which
   * lets several threads publish at once; this default, send then flush, does not, so it is for
   * publishers used by one thread.
   */
  default void publish(List<ChangeEvent> batch) {
    batch.forEach(this::send);
    flush();
  }

  @Override
  default void close() {}
}

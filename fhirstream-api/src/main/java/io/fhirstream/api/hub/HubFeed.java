package io.fhirstream.api.hub;

import java.time.Duration;
import java.util.List;

/**
 * The records of one hub topic that something other than fhirstream publishes, read by a source as
 * its feed of changes: e.g. the change notifications an Azure Event Grid subscription delivers to
 * an event hub. A source thus reads the hub without depending on Kafka.
 *
 * <p>Call order, from one thread: {@code poll → (publish what the records say, wait for the
 * acknowledgement) → commit → poll …}, then {@code close}.
 *
 * <ul>
 *   <li><b>Commit only after what the records cover is published and acknowledged</b> (the rule of
 *       {@link CursorStore}): a crash before the commit hands the same records to the next poll,
 *       here or on another instance, so a notification is never lost, only repeated.
 *   <li>Records may arrive more than once and, across partitions, in any order: the source must be
 *       idempotent.
 * </ul>
 */
public interface HubFeed extends AutoCloseable {

  /** One record: its value as published, and where it is (for logs, never its content). */
  record Entry(byte[] value, String position) {
    @Override
    public String toString() {
      return "HubFeed.Entry[" + position + "]";
    }
  }

  /**
   * Waits up to {@code timeout} for records and returns those that came (none on a quiet topic).
   *
   * @throws io.fhirstream.api.RetriableException when the hub is away for now
   */
  List<Entry> poll(Duration timeout);

  /**
   * Marks every record returned by {@link #poll} so far as handled; durable when this returns.
   *
   * @throws io.fhirstream.api.RetriableException when the hub is away for now (the records are then
   *     read again)
   */
  void commit();

  @Override
  default void close() {}
}

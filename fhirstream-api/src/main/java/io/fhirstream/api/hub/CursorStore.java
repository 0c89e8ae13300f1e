package io.fhirstream.api.hub;

import java.util.Map;
import java.util.Optional;

/**
 * Durable positions of change capture, one per key (e.g. per FHIR server and resource type). Kept
 * in the event hub itself so an instance holds no local state and can move.
 */
public interface CursorStore extends AutoCloseable {

  /** The last committed position for the key, if any. */
  Optional<String> load(String key);

  /** Stores the position; durable when this returns. */
  void commit(String key, String position);

  /**
   * Stores several positions; all durable when this returns, e.g. the cursors of every type one
   * poll read. This default commits them one by one; a store that can should make them durable
   * together, in one round trip.
   */
  default void commitAll(Map<String, String> positions) {
    positions.forEach(this::commit);
  }

  @Override
  default void close() {}
}

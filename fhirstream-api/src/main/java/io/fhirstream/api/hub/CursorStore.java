package io.fhirstream.api.hub;

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

  @Override
  default void close() {}
}

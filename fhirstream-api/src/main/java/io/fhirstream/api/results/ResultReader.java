package io.fhirstream.api.results;

import java.util.List;
import java.util.Map;

/**
 * Reads the analytics role's results back from a store, on a connection of its own: what {@code
 * fhirstream analytics verify} compares with a recomputation, and what tests check. Sees what was
 * flushed before each call began. Not thread-safe; close it when done.
 */
public interface ResultReader extends AutoCloseable {

  /** The current documents of an aggregate (tombstones left out), by id, as JSON. */
  Map<String, byte[]> results(String aggregate);

  /**
   * The current rows of a view, by the key of the resource they were made from, each row's values
   * in the view's column order (as the store gives them back: a DATETIME may come back as the
   * store's timestamp text, a DECIMAL as the store's number).
   */
  Map<String, List<List<Object>>> rows(String view);

  @Override
  default void close() {}
}

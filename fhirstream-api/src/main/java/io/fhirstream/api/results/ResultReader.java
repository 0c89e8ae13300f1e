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
   * The columns of a view's table, in the order {@link #rows} gives each row's values: the view's
   * columns as first defined, then those added later; a column the view no longer has stays (and is
   * null in rows written since). Empty when the store holds no such view.
   */
  List<String> columns(String view);

  /**
   * The current rows of a view, by the key of the resource they were made from, in the order they
   * were written, each row's values in the order of {@link #columns} (as the store gives them back:
   * a DATETIME may come back as the store's timestamp text, a DECIMAL as the store's number, a
   * BOOLEAN as 0 or 1, a JSON list as its JSON text). Empty when the store holds no such view.
   */
  Map<String, List<List<Object>>> rows(String view);

  @Override
  default void close() {}
}

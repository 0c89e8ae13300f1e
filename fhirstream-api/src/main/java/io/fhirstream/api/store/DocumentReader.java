package io.fhirstream.api.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads back what a store holds, on a connection of its own, while writers may be writing: each
 * call sees what was durable (flushed) before it began. One reader serves every check of stored
 * state, whatever the store: the demo's store-equals-server check, the fault harness's verdict, the
 * benchmarks, {@code reconcile} and {@code status}. Not thread-safe; close it when done.
 *
 * <p>A store need implement only {@link #resourceTypes}, {@link #read} and {@link #scan}; the
 * counts have defaults built on {@code scan} that a store may replace with a cheaper query.
 */
public interface DocumentReader extends AutoCloseable {

  /** The resource types the store holds documents of (tombstones included), sorted. */
  List<String> resourceTypes();

  /** The stored version or tombstone of one resource; empty if the store never held it. */
  Optional<StoredDocument> read(String resourceType, String id);

  /**
   * Visits every stored version and tombstone of a type, in ascending id order (as Java compares
   * strings). Nothing is visited for a type the store has no documents of.
   *
   * @param withBodies whether to read the resources too; {@code false} visits ids, versions and
   *     deletions only, with {@link StoredDocument#resource()} {@code null}, which is far cheaper
   */
  void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor);

  /** Every stored version and tombstone of a type with its body, by id in ascending order. */
  default Map<String, StoredDocument> readAll(String resourceType) {
    Map<String, StoredDocument> documents = new LinkedHashMap<>();
    scan(resourceType, true, document -> documents.put(document.id(), document));
    return documents;
  }

  /** How many resources of a type the store holds, not counting tombstones. */
  default long count(String resourceType) {
    long[] count = {0};
    scan(resourceType, false, document -> count[0] += document.deleted() ? 0 : 1);
    return count[0];
  }

  /** How many tombstones of a type the store holds. */
  default long countDeleted(String resourceType) {
    long[] count = {0};
    scan(resourceType, false, document -> count[0] += document.deleted() ? 1 : 0);
    return count[0];
  }

  @Override
  default void close() {}
}

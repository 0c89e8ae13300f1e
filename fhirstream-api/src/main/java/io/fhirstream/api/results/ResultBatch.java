package io.fhirstream.api.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ResultWriter} was given since its last flush, newest only: per view and resource
 * the rows of the newest version, per aggregate and id the document of the highest version, each in
 * first-seen order. A pure helper for stores that write at flush; the store still guards each write
 * against what it holds, this only saves writes.
 */
public final class ResultBatch {

  /** The rows one version of a resource makes in a view. */
  public record Rows(String view, SourceVersion version, List<List<Object>> rows) {}

  /** One version of an aggregate's result document; {@code document} null for a removal. */
  public record Result(String aggregate, String id, long version, byte[] document) {}

  private final Map<String, Map<String, Rows>> rows = new LinkedHashMap<>();
  private final Map<String, Map<String, Result>> results = new LinkedHashMap<>();
  private int size;

  /** Keeps these rows unless the batch holds rows of the same resource from a version as new. */
  public void addRows(String view, SourceVersion version, List<List<Object>> viewRows) {
    Map<String, Rows> ofView = rows.computeIfAbsent(view, v -> new LinkedHashMap<>());
    Rows held = ofView.get(version.resourceKey());
    if (held == null) {
      size++;
    } else if (!version.isNewerThan(held.version())) {
      return;
    }
    ofView.put(version.resourceKey(), new Rows(view, version, List.copyOf(viewRows)));
  }

  /** Keeps this result unless the batch holds one of the same id with a version as high. */
  public void addResult(String aggregate, String id, long version, byte[] document) {
    Map<String, Result> ofAggregate =
        results.computeIfAbsent(aggregate, a -> new LinkedHashMap<>());
    Result held = ofAggregate.get(id);
    if (held == null) {
      size++;
    } else if (version <= held.version()) {
      return;
    }
    ofAggregate.put(id, new Result(aggregate, id, version, document));
  }

  /** The kept rows by view, views and resources in first-seen order. */
  public Map<String, List<Rows>> rowsByView() {
    Map<String, List<Rows>> byView = new LinkedHashMap<>();
    rows.forEach((view, ofView) -> byView.put(view, new ArrayList<>(ofView.values())));
    return byView;
  }

  /** The kept results by aggregate, aggregates and ids in first-seen order. */
  public Map<String, List<Result>> resultsByAggregate() {
    Map<String, List<Result>> byAggregate = new LinkedHashMap<>();
    results.forEach(
        (aggregate, ofIt) -> byAggregate.put(aggregate, new ArrayList<>(ofIt.values())));
    return byAggregate;
  }

  /** How many resources' rows and aggregate ids are kept. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public void clear() {
    rows.clear();
    results.clear();
    size = 0;
  }
}

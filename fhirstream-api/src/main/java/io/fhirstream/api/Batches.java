package io.fhirstream.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pure helpers for writers that want to write each resource once per batch. */
public final class Batches {
  private Batches() {}

  /**
   * Keeps only the newest event per resource (type and id), in first-seen order. A store still
   * guards each write against what it holds: this only saves writes inside one batch.
   */
  public static List<ChangeEvent> newestPerResource(List<ChangeEvent> batch) {
    Map<String, ChangeEvent> newest = new LinkedHashMap<>();
    for (ChangeEvent event : batch) {
      newest.merge(
          event.resourceType() + '/' + event.id(),
          event,
          (kept, incoming) -> VersionOrder.isNewer(incoming, kept) ? incoming : kept);
    }
    return new ArrayList<>(newest.values());
  }
}

package io.fhirstream.source.events;

import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest version of each resource this source has published, for the most recently touched
 * {@code capacity} resources: an event for a version at or below it is a duplicate or arrived late,
 * and is dropped without reading the server. Forgetting (a restart, an evicted entry) only costs a
 * read and a publish the stores' version guard makes harmless. Not thread-safe.
 */
final class PublishedVersions {
  private record Version(String id, Instant time) {}

  private final Map<String, Version> newest;

  PublishedVersions(int capacity) {
    this.newest =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Version> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether a version at or after this one of the resource is published already. */
  boolean covers(FhirResourceEvent event) {
    Version known = newest.get(key(event));
    return known != null
        && !VersionOrder.isNewer(event.versionId(), event.time(), known.id(), known.time());
  }

  /** Remembers a published version, unless a newer one is remembered. */
  void published(FhirResourceEvent event) {
    if (!covers(event)) {
      newest.put(key(event), new Version(event.versionId(), event.time()));
    }
  }

  private static String key(FhirResourceEvent event) {
    return event.resourceType() + "/" + event.id();
  }
}

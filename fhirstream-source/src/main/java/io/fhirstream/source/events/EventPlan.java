package io.fhirstream.source.events;

import io.fhirstream.api.VersionOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one batch of events comes to: per resource, only its newest version in the batch counts, and
 * only if no newer or equal version is published already. That version is read from the server, or,
 * for a deletion, published as a tombstone. Events of another FHIR service than the configured one,
 * or of types not captured, are counted and never fetched.
 *
 * @param reads the versions to read and publish
 * @param deletions the deletions to publish as tombstones
 * @param otherAccount events of another FHIR service
 * @param otherType events of types this source does not capture
 * @param dropped duplicates and versions superseded in the batch or already published
 */
public record EventPlan(
    List<FhirResourceEvent> reads,
    List<FhirResourceEvent> deletions,
    int otherAccount,
    int otherType,
    int dropped) {

  /**
   * @param account the configured FHIR service's host (source.fhir.base-url)
   * @param types the types captured
   */
  static EventPlan of(
      List<FhirResourceEvent> events,
      String account,
      Set<String> types,
      PublishedVersions published) {
    Map<String, FhirResourceEvent> newest = new LinkedHashMap<>();
    int otherAccount = 0;
    int otherType = 0;
    int dropped = 0;
    String host = account.toLowerCase(Locale.ROOT);
    for (FhirResourceEvent event : events) {
      if (!event.account().toLowerCase(Locale.ROOT).equals(host)) {
        otherAccount++;
      } else if (!types.contains(event.resourceType())) {
        otherType++;
      } else {
        String key = event.resourceType() + "/" + event.id();
        FhirResourceEvent seen = newest.get(key);
        if (seen == null || newer(event, seen)) {
          dropped += seen == null ? 0 : 1;
          newest.put(key, event);
        } else {
          dropped++;
        }
      }
    }
    List<FhirResourceEvent> reads = new ArrayList<>();
    List<FhirResourceEvent> deletions = new ArrayList<>();
    for (FhirResourceEvent event : newest.values()) {
      if (published.covers(event)) {
        dropped++;
      } else if (event.kind() == FhirResourceEvent.Kind.DELETED) {
        deletions.add(event);
      } else {
        reads.add(event);
      }
    }
    return new EventPlan(
        List.copyOf(reads), List.copyOf(deletions), otherAccount, otherType, dropped);
  }

  private static boolean newer(FhirResourceEvent a, FhirResourceEvent b) {
    return VersionOrder.isNewer(a.versionId(), a.time(), b.versionId(), b.time());
  }
}

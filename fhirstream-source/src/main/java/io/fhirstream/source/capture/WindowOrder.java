package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pure decisions shared by the crawlers. */
final class WindowOrder {
  private WindowOrder() {}

  private static final Comparator<ChangeEvent> OLDEST_FIRST =
      Comparator.comparing(
              ChangeEvent::lastUpdated, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(
              e -> VersionOrder.numeric(e.versionId()),
              Comparator.nullsLast(Comparator.naturalOrder()));

  /** Distinct (id, version) pairs, oldest first. */
  static List<ChangeEvent> distinctOldestFirst(List<ChangeEvent> events) {
    Map<String, ChangeEvent> distinct = new LinkedHashMap<>();
    for (ChangeEvent event : events) {
      distinct.putIfAbsent(event.id() + '/' + event.versionId(), event);
    }
    List<ChangeEvent> ordered = new ArrayList<>(distinct.values());
    ordered.sort(OLDEST_FIRST);
    return ordered;
  }

  /**
   * Where a window may end: the server's "now" less the safety lag, never before the cursor.
   *
   * @param serverNow the server's Date header, or null to use the local clock
   */
  static Instant end(Instant since, Instant serverNow, Instant localNow, Duration safetyLag) {
    Instant now = serverNow != null && serverNow.isBefore(localNow) ? serverNow : localNow;
    Instant end = now.minus(safetyLag);
    return since != null && end.isBefore(since) ? since : end;
  }
}

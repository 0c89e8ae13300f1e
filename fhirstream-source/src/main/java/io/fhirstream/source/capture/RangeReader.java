package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.http.ExpiredPageException;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the current resources of one type last updated in {@code [from, end)}, oldest first, page
 * by page, handing each resource version over once.
 *
 * <p>Pages are followed by the server's {@code next} links where {@link SearchPaging} trusts them,
 * else by keyset: the next query starts at the newest {@code lastUpdated} handed over, which
 * returns again the resources sharing that timestamp; the ids already handed over at it are
 * remembered and dropped, so a transaction's shared timestamp costs re-reads but never duplicates.
 * An expired link is replaced by such a keyset query.
 *
 * <p>The end may move earlier while the range is read (another reader took its later part). An
 * entry at or after the end is dropped: either it belongs to that later part, or its resource was
 * updated after the search began (its {@code lastUpdated} is then at or after {@code limit}, the
 * snapshot's start) and history reads it from there. An entry in {@code [end, limit)} cannot have
 * been updated since, so it proves the rest of the list lies beyond the end: reading stops.
 *
 * <p>Not thread-safe: one reader reads one range.
 */
final class RangeReader {
  /** Sends one request; {@code serverLink} when the URI is the server's own link. */
  @FunctionalInterface
  interface Requests {
    FhirResponse get(URI uri, boolean serverLink);
  }

  /** Receives each page's new versions, oldest first. */
  @FunctionalInterface
  interface PageHandler {
    /**
     * @param fresh versions not handed over before by this reader
     * @param progress every resource of the range last updated before it has been handed over, or
     *     null before any was
     */
    void accept(List<ChangeEvent> fresh, Instant progress);
  }

  private final CrawlTarget target;
  private final SearchPaging paging;
  private final Requests requests;
  private final Instant limit;
  private Instant boundary; // the newest lastUpdated handed over
  private final Set<String> atBoundary = new HashSet<>(); // ids handed over with it
  private long entriesRead;
  private long handedOver;

  /**
   * @param limit the snapshot's start: every entry in the range was last updated before it when the
   *     search began
   */
  RangeReader(CrawlTarget target, SearchPaging paging, Requests requests, Instant limit) {
    this.target = target;
    this.paging = paging;
    this.requests = requests;
    this.limit = limit;
  }

  /** Reads {@code [from, end.get())} to its end, handing every page over. */
  void read(Instant from, Supplier<Instant> end, PageHandler handler) {
    Instant keyset = from;
    FhirResponse response = requests.get(query(keyset, end.get()), false);
    while (true) {
      BundlePage page = BundleReader.read(response.body(), target.resourceType());
      entriesRead += page.events().size();
      Instant currentEnd = end.get();
      Page sorted = sort(page.events(), currentEnd);
      List<ChangeEvent> fresh = handOver(sorted.kept());
      handedOver += fresh.size();
      handler.accept(fresh, boundary);
      if (sorted.pastEnd() || page.next() == null) {
        return;
      }
      if (paging.follows(page.next())) {
        response = followOrRequery(page.next(), currentEnd);
      } else if (sorted.newest() != null && sorted.newest().isAfter(keyset)) {
        keyset = sorted.newest();
        response = requests.get(query(keyset, currentEnd), false);
      } else {
        // A whole page shares one timestamp: only the server's link gets past it.
        response = followOrRequery(page.next(), currentEnd);
      }
    }
  }

  /** Entries read from the server so far, duplicates and dropped ones included. */
  long entriesRead() {
    return entriesRead;
  }

  /** Versions handed over so far. */
  long handedOver() {
    return handedOver;
  }

  private FhirResponse followOrRequery(URI next, Instant end) {
    try {
      return requests.get(next, true);
    } catch (ExpiredPageException e) {
      // The ids at the boundary are remembered, so re-querying from it hands nothing over twice.
      return requests.get(query(boundary, end), false);
    }
  }

  /**
   * @param kept entries before the end, in page order
   * @param newest the newest {@code lastUpdated} among them, handed over or not
   * @param pastEnd whether an entry shows the rest of the list lies beyond the end
   */
  private record Page(List<ChangeEvent> kept, Instant newest, boolean pastEnd) {}

  private Page sort(List<ChangeEvent> events, Instant end) {
    List<ChangeEvent> kept = new ArrayList<>(events.size());
    Instant newest = null;
    boolean pastEnd = false;
    for (ChangeEvent event : events) {
      Instant t = event.lastUpdated();
      if (t != null && !t.isBefore(end)) {
        pastEnd |= t.isBefore(limit);
        continue;
      }
      kept.add(event);
      if (t != null && (newest == null || t.isAfter(newest))) {
        newest = t;
      }
    }
    return new Page(kept, newest, pastEnd);
  }

  /** The versions not handed over yet, oldest first; moves the boundary past them. */
  private List<ChangeEvent> handOver(List<ChangeEvent> kept) {
    List<ChangeEvent> fresh = new ArrayList<>(kept.size());
    for (ChangeEvent event : WindowOrder.distinctOldestFirst(kept)) {
      Instant t = event.lastUpdated();
      if (t == null || (boundary != null && t.isBefore(boundary))) {
        fresh.add(event); // out of order: never dropped, at worst handed over twice
        continue;
      }
      if (boundary == null || t.isAfter(boundary)) {
        boundary = t;
        atBoundary.clear();
      }
      if (atBoundary.add(event.id())) {
        fresh.add(event);
      }
    }
    return fresh;
  }

  private URI query(Instant since, Instant before) {
    return SearchCrawler.query(target, since, before, target.pageSize());
  }
}

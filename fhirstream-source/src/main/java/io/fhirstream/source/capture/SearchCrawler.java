package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code GET [base]/{Type}?_lastUpdated=ge…&_sort=_lastUpdated&_count=…}, for servers without
 * type-level history. It cannot see deletions.
 *
 * <p>Pages are read by keyset, not by the server's offset links: a resource updated during the
 * crawl moves to the end of the result, which would shift an offset page past a resource never
 * read. Each page re-queries from the newest {@code lastUpdated} seen; the server's {@code next}
 * link is followed only when a whole page shares one timestamp. Pages are handed over as they
 * arrive, so a crawl of any size runs in constant memory and commits its cursor as it goes.
 */
public final class SearchCrawler implements Crawler {
  private final CrawlTarget target;

  public SearchCrawler(CrawlTarget target) {
    this.target = target;
  }

  @Override
  public Instant crawl(Instant since, BatchHandler handler) {
    FhirResponse response = target.http().get(query(since));
    Instant end =
        WindowOrder.end(since, response.serverDate(), target.clock().instant(), target.safetyLag());
    Instant keyset = since;
    while (true) {
      BundlePage page = BundleReader.read(response.body(), target.resourceType());
      Instant newest = newest(page.events());
      if (page.next() == null) {
        handler.accept(WindowOrder.distinctOldestFirst(page.events()), end);
        return end;
      }
      // Pages come oldest first: every change before the newest one seen is handed over.
      handler.accept(
          WindowOrder.distinctOldestFirst(page.events()),
          newest == null ? null : earlier(newest, end));
      if (newest != null && (keyset == null || newest.isAfter(keyset))) {
        keyset = newest;
        response = target.http().get(query(keyset));
      } else {
        response = target.http().getLinked(page.next());
      }
    }
  }

  private static Instant earlier(Instant a, Instant b) {
    return b.isBefore(a) ? b : a;
  }

  /** The newest {@code lastUpdated} among the events, or null. */
  static Instant newest(List<ChangeEvent> events) {
    Instant newest = null;
    for (ChangeEvent event : events) {
      if (event.lastUpdated() != null && (newest == null || event.lastUpdated().isAfter(newest))) {
        newest = event.lastUpdated();
      }
    }
    return newest;
  }

  private URI query(Instant since) {
    return query(target, since, null, target.pageSize());
  }

  /**
   * The search for resources with {@code since ≤ lastUpdated < before}, oldest first.
   *
   * @param since null for no lower bound
   * @param before null for no upper bound
   */
  static URI query(CrawlTarget target, Instant since, Instant before, int count) {
    StringBuilder uri =
        new StringBuilder(target.http().base().toString())
            .append('/')
            .append(target.resourceType())
            .append("?_sort=_lastUpdated&_count=")
            .append(count);
    if (since != null) {
      uri.append("&_lastUpdated=ge").append(DateTimeFormatter.ISO_INSTANT.format(since));
    }
    if (before != null) {
      uri.append("&_lastUpdated=lt").append(DateTimeFormatter.ISO_INSTANT.format(before));
    }
    return URI.create(uri.toString());
  }
}

package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.http.ExpiredPageException;
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
 * link is followed only when a whole page shares one timestamp, or where {@link SearchPaging}
 * trusts the server's links. Pages are handed over as they arrive, so a crawl of any size runs in
 * constant memory and commits its cursor as it goes.
 *
 * <p>Only versions last updated before the window's end move the keyset and the cursor: a resource
 * updated while the crawl runs shows its new {@code lastUpdated} at its old place in the result,
 * and moving past it would skip what lies between.
 */
public final class SearchCrawler implements Crawler {
  private final CrawlTarget target;
  private final SearchPaging paging;

  public SearchCrawler(CrawlTarget target) {
    this(target, SearchPaging.KEYSET);
  }

  public SearchCrawler(CrawlTarget target, SearchPaging paging) {
    this.target = target;
    this.paging = paging;
  }

  @Override
  public Instant crawl(Instant since, BatchHandler handler) {
    FhirResponse response = target.http().get(query(since));
    Instant end =
        WindowOrder.end(since, response.serverDate(), target.clock().instant(), target.safetyLag());
    Instant keyset = since;
    while (true) {
      BundlePage page = BundleReader.read(response.body(), target.resourceType());
      Instant newest = newestBefore(page.events(), end);
      if (page.next() == null) {
        handler.accept(WindowOrder.distinctOldestFirst(page.events()), end);
        return end;
      }
      // Pages come oldest first: every change before the newest one seen is handed over.
      handler.accept(WindowOrder.distinctOldestFirst(page.events()), newest);
      if (!paging.follows(page.next())
          && newest != null
          && (keyset == null || newest.isAfter(keyset))) {
        keyset = newest;
        response = target.http().get(query(keyset));
      } else {
        try {
          response = target.http().getLinked(page.next());
        } catch (ExpiredPageException e) {
          keyset = newest != null && (keyset == null || newest.isAfter(keyset)) ? newest : keyset;
          response = target.http().get(query(keyset));
        }
      }
    }
  }

  /** The newest {@code lastUpdated} before {@code end} among the events, or null. */
  private static Instant newestBefore(List<ChangeEvent> events, Instant end) {
    Instant newest = null;
    for (ChangeEvent event : events) {
      Instant t = event.lastUpdated();
      if (t != null && t.isBefore(end) && (newest == null || t.isAfter(newest))) {
        newest = t;
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

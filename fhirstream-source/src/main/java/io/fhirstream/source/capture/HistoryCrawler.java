package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.source.http.ExpiredPageException;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET [base]/{Type}/_history?_since=…&_count=…}, following {@code next} links.
 *
 * <p>Servers return history newest first and page by offset over a live query: a write during the
 * crawl pushes entries down, so a page may repeat entries already seen, but none is skipped. So the
 * crawl reads the whole window, then orders it oldest first and drops repeats: a window is held in
 * memory, which is why the first load uses {@link SearchCrawler} instead (see {@code
 * source.backfill}). If the server expires its paging state mid-crawl, the window is read again
 * from the same cursor.
 *
 * <p>At system level ({@code GET [base]/_history}), one crawl reads the changes of every type at
 * once: one request per poll however many types are captured, where type-level history costs one
 * per type. Each event then carries its own type.
 */
public final class HistoryCrawler implements Crawler {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryCrawler.class);
  private static final int MAX_RESTARTS = 5;
  private static final Instant EPOCH = Instant.EPOCH;

  private final CrawlTarget target;
  private final String path;
  private final Set<String> types;

  /** Type-level history of the target's type. */
  public HistoryCrawler(CrawlTarget target) {
    this(target, target.resourceType() + "/_history", Set.of(target.resourceType()));
  }

  private HistoryCrawler(CrawlTarget target, String path, Set<String> types) {
    this.target = target;
    this.path = path;
    this.types = Set.copyOf(types);
  }

  /**
   * System-level history, keeping the changes of {@code types} (the server's other types are read
   * and dropped); the target's resource type only names the crawl in messages.
   */
  public static HistoryCrawler systemLevel(CrawlTarget target, Set<String> types) {
    return new HistoryCrawler(target, "_history", types);
  }

  @Override
  public Instant crawl(Instant since, BatchHandler handler) {
    for (int attempt = 1; ; attempt++) {
      try {
        return crawlOnce(since, handler);
      } catch (ExpiredPageException e) {
        if (attempt >= MAX_RESTARTS) {
          throw new PipelineException(
              "the FHIR server expired its "
                  + target.resourceType()
                  + " history paging links "
                  + MAX_RESTARTS
                  + " times in a row; lower source.page-size or raise the server's"
                  + " paging cache lifetime");
        }
        LOG.warn("{} history: {}; reading the window again", target.resourceType(), e.getMessage());
      }
    }
  }

  private Instant crawlOnce(Instant since, BatchHandler handler) {
    FhirResponse response = target.http().get(firstPage(since));
    Instant end =
        WindowOrder.end(since, response.serverDate(), target.clock().instant(), target.safetyLag());
    List<ChangeEvent> events = new ArrayList<>();
    while (true) {
      BundlePage page = BundleReader.read(response.body(), types);
      events.addAll(page.events());
      if (page.skipped() > 0 && types.size() == 1) {
        LOG.warn(
            "{} history: skipped {} entries without id or of another type",
            target.resourceType(),
            page.skipped());
      }
      if (page.next() == null) {
        break;
      }
      response = target.http().getLinked(page.next());
    }
    // History comes newest first, so nothing can be handed over before the window is complete.
    handler.accept(WindowOrder.distinctOldestFirst(events), end);
    return end;
  }

  private URI firstPage(Instant since) {
    StringBuilder uri =
        new StringBuilder(target.http().base().toString())
            .append('/')
            .append(path)
            .append("?_count=")
            .append(target.pageSize());
    // Always a _since, the epoch for everything: without one, HAPI's JPA server pages history up
    // to a count it cached for a minute, and leaves out the oldest versions written since.
    uri.append("&_since=")
        .append(DateTimeFormatter.ISO_INSTANT.format(since == null ? EPOCH : since));
    return URI.create(uri.toString());
  }
}

package io.fhirstream.source.capture;

import java.net.URI;

/**
 * How the pages of a {@code _lastUpdated}-sorted search are followed ({@code
 * source.search.paging}).
 *
 * <p>A FHIR server that keeps the result list of a search from its first request (HAPI's {@code
 * _getpages} links page over the list it stored) can be followed by its {@code next} links: one
 * read per resource, and a resource updated meanwhile neither moves nor hides another. A server
 * that re-runs the query for each page at an offset cannot: an update moves a resource to the end
 * and shifts the next page past one never read. There the crawl re-queries from the newest {@code
 * lastUpdated} seen (keyset), which re-reads the resources that share that timestamp — a
 * transaction stamps all its resources with one — but never hands them over twice.
 */
public enum SearchPaging {
  /** The server's links where they page over a kept result list (HAPI's {@code _getpages}). */
  AUTO,
  /** Always the server's {@code next} links; the server must keep each search's result list. */
  SERVER,
  /** Always re-query from the newest {@code lastUpdated} seen; right on any server. */
  KEYSET;

  /** Whether to follow this {@code next} link rather than re-query by keyset. */
  boolean follows(URI next) {
    return switch (this) {
      case SERVER -> true;
      case KEYSET -> false;
      case AUTO -> keepsResultList(next);
    };
  }

  /**
   * Whether a link pages over a result list the server kept at the first request: HAPI's {@code
   * _getpages} (a search id) does; an offset into a live query ({@code _offset}, {@code page}) does
   * not.
   */
  static boolean keepsResultList(URI next) {
    String query = next.getRawQuery();
    if (query == null) {
      return false;
    }
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("_getpages=")) {
        return true;
      }
    }
    return false;
  }
}

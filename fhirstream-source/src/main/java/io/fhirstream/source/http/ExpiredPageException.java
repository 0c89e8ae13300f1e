package io.fhirstream.source.http;

/**
 * A paging link the server no longer knows (404 or 410): servers expire cached searches, so the
 * crawl restarts from its cursor rather than failing.
 */
public class ExpiredPageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExpiredPageException(String message) {
    super(message);
  }
}

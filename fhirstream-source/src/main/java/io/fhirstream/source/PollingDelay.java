package io.fhirstream.source;

import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What polling takes to deliver a change from a server: half the poll interval (a change waits that
 * long for the next poll, on average) plus one round trip of a history read, measured with one
 * small request. Push mode compares it with how late the server's notifications arrive.
 */
public final class PollingDelay {
  private PollingDelay() {}

  /**
   * Times one {@code GET [base]/{type}/_history?_since=now&_count=1} (read-only, returns next to
   * nothing); empty if it fails.
   */
  public static Optional<Duration> measure(FhirHttpClient http, String type, Duration interval) {
    URI uri =
        URI.create(
            http.base()
                + "/"
                + type
                + "/_history?_count=1&_since="
                + DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
    long start = System.nanoTime();
    try {
      http.get(uri);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(interval.dividedBy(2).plusNanos(System.nanoTime() - start));
  }
}

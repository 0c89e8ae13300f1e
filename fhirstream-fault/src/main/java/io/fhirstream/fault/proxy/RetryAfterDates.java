package io.fhirstream.fault.proxy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** HTTP-dates (RFC 9110 IMF-fixdate, the RFC 1123 form) for {@code Retry-After}. */
final class RetryAfterDates {
  // Not DateTimeFormatter.RFC_1123_DATE_TIME: it writes days 1-9 with one digit, which IMF-fixdate
  // forbids ("Sun, 06 Nov 1994 08:49:37 GMT"), and strict clients reject.
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private RetryAfterDates() {}

  /** Formats an instant as an IMF-fixdate, dropping the fraction of a second. */
  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }

  /**
   * The instant to announce for a retry {@code seconds} after {@code now}: whole seconds, rounded
   * up, so a client that reads it with second precision never waits less than {@code seconds} (and
   * at most one second more).
   */
  static Instant retryAt(Instant now, long seconds) {
    Instant whole = now.truncatedTo(ChronoUnit.SECONDS);
    Instant roundedUp = whole.equals(now) ? whole : whole.plusSeconds(1);
    return roundedUp.plusSeconds(seconds);
  }
}

package io.fhirstream.source.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing of {@code Retry-After} and {@code Date} headers (RFC 9110). */
public final class HttpDates {
  private HttpDates() {}

  /** {@code Retry-After} as delay-seconds or an HTTP-date; null when absent or malformed. */
  public static Duration retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    Instant when = httpDate(value);
    if (when == null) {
      return null;
    }
    Duration delay = Duration.between(clock.instant(), when);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  /** An HTTP-date such as {@code Wed, 21 Oct 2015 07:28:00 GMT}; null when malformed. */
  public static Instant httpDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

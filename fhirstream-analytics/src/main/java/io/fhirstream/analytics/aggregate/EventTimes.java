package io.fhirstream.analytics.aggregate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * FHIR dates and dateTimes as instants and dates, for windows and ages. A partial value is taken at
 * its first moment: {@code 2020} is 2020-01-01, {@code 2020-03} is 2020-03-01, a date without a
 * time is midnight UTC. A value that does not parse is treated as missing.
 */
public final class EventTimes {
  private EventTimes() {}

  /** The instant a FHIR date, dateTime or instant stands for, or null. */
  public static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() > 10) {
        return OffsetDateTime.parse(value).toInstant();
      }
      LocalDate date = date(value);
      return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The date a FHIR date or dateTime stands for (its date part), or null. */
  public static LocalDate date(String value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (Math.min(value.length(), 11)) {
        case 4 -> LocalDate.of(Integer.parseInt(value), 1, 1);
        case 7 -> LocalDate.parse(value + "-01");
        case 10 -> LocalDate.parse(value);
        case 11 -> LocalDate.parse(value.substring(0, 10));
        default -> null;
      };
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }
}

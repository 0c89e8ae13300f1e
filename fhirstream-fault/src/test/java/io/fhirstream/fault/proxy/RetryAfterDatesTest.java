package io.fhirstream.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class RetryAfterDatesTest {

  @Test
  void formatsImfFixdateInGmt() {
    assertThat(RetryAfterDates.format(Instant.parse("1994-11-06T08:49:37Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void padsSingleDigitDaysAndDropsFractions() {
    assertThat(RetryAfterDates.format(Instant.parse("2025-03-01T00:00:05.999Z")))
        .isEqualTo("Sat, 01 Mar 2025 00:00:05 GMT");
  }

  @Test
  void ignoresTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      assertThat(RetryAfterDates.format(Instant.parse("2025-05-13T10:00:00Z")))
          .isEqualTo("Tue, 13 May 2025 10:00:00 GMT");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void isReadableAsRfc1123() {
    Instant instant = Instant.parse("2025-12-24T23:59:59Z");
    assertThat(
            ZonedDateTime.parse(
                    RetryAfterDates.format(instant), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant())
        .isEqualTo(instant);
  }

  @Test
  void retryInstantIsRoundedUpToWholeSeconds() {
    assertThat(RetryAfterDates.retryAt(Instant.parse("2025-01-01T00:00:00.001Z"), 1))
        .isEqualTo(Instant.parse("2025-01-01T00:00:02Z"));
    assertThat(RetryAfterDates.retryAt(Instant.parse("2025-01-01T00:00:00.999Z"), 1))
        .isEqualTo(Instant.parse("2025-01-01T00:00:02Z"));
  }

  @Test
  void retryInstantOnAWholeSecondIsExactlyTheDelayAhead() {
    assertThat(RetryAfterDates.retryAt(Instant.parse("2025-01-01T00:00:00Z"), 2))
        .isEqualTo(Instant.parse("2025-01-01T00:00:02Z"));
  }
}

package io.fhirstream.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HttpDatesTest {
  private final Clock clock = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

  @Test
  void retryAfterInSeconds() {
    assertThat(HttpDates.retryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterAsHttpDate() {
    assertThat(HttpDates.retryAfter("Wed, 21 Oct 2015 07:28:05 GMT", clock))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterInThePastMeansNow() {
    assertThat(HttpDates.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", clock))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void malformedRetryAfterIsIgnored() {
    assertThat(HttpDates.retryAfter("soon", clock)).isNull();
    assertThat(HttpDates.retryAfter(null, clock)).isNull();
  }
}

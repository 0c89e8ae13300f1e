package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LastUpdatedRangeTest {
  private static long ms(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  @Test
  void geAndLtTogetherMakeAHalfOpenRange() {
    DateRangeParam param =
        new DateRangeParam(
            new DateParam("ge2025-03-01T10:00:00.000Z"),
            new DateParam("lt2025-03-01T11:00:00.000Z"));
    LastUpdatedRange range = LastUpdatedRange.of(param);

    assertThat(range.fromInclusive()).isEqualTo(ms("2025-03-01T10:00:00Z"));
    assertThat(range.toExclusive()).isEqualTo(ms("2025-03-01T11:00:00Z"));
    assertThat(range.contains(ms("2025-03-01T10:00:00Z"))).isTrue();
    assertThat(range.contains(ms("2025-03-01T10:59:59.999Z"))).isTrue();
    assertThat(range.contains(ms("2025-03-01T11:00:00Z"))).isFalse();
  }

  @Test
  void aValueCoversThePeriodOfItsPrecision() {
    assertThat(LastUpdatedRange.of(new DateParam("gt2025-03-01T10:00:00Z")).fromInclusive())
        .isEqualTo(ms("2025-03-01T10:00:01Z"));
    assertThat(LastUpdatedRange.of(new DateParam("le2025-03-01T10:00:00.250Z")).toExclusive())
        .isEqualTo(ms("2025-03-01T10:00:00.251Z"));
    LastUpdatedRange second = LastUpdatedRange.of(new DateParam("eq2025-03-01T10:00:00Z"));
    assertThat(second)
        .isEqualTo(new LastUpdatedRange(ms("2025-03-01T10:00:00Z"), ms("2025-03-01T10:00:01Z")));
  }

  @Test
  void noParameterSelectsEverything() {
    assertThat(LastUpdatedRange.of((DateRangeParam) null)).isEqualTo(LastUpdatedRange.ALL);
  }

  @Test
  void unsupportedPrefixesAreABadRequest() {
    assertThatThrownBy(() -> LastUpdatedRange.of(new DateParam("ne2025-03-01T10:00:00Z")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("ge, gt, le, lt or eq");
  }
}

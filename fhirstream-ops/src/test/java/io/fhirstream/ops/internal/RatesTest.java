package io.fhirstream.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatesTest {
  private static MeterSample at(long seconds, double written) {
    return new MeterSample(seconds * 1_000_000_000L, seconds * 1000, 0, written, 0, null);
  }

  @Test
  void aCounterThatWentDownCountsAsNoChangeNotANegativeRate() {
    assertThat(Rates.rate(at(0, 100), at(5, 20), MeterSample::written)).isZero();
  }

  @Test
  void noRateWithoutTwoDistinctSamples() {
    assertThat(Rates.rate(null, at(5, 20), MeterSample::written)).isNull();
    assertThat(Rates.rate(at(5, 10), at(5, 20), MeterSample::written)).isNull();
  }

  @Test
  void rateIsPerSecondOfMeasuredTime() {
    assertThat(Rates.rate(at(10, 100), at(12, 150), MeterSample::written)).isEqualTo(25.0);
  }
}

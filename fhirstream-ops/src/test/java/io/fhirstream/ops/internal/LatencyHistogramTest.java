package io.fhirstream.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  // Buckets le=10, 20, 40 ms; 10 recordings at or below 10, 30 at or below 20, 40 in all.
  private final LatencyHistogram histogram =
      new LatencyHistogram(new double[] {10, 20, 40}, new double[] {10, 30, 40}, 40);

  @Test
  void quantilesInterpolateLinearlyWithinTheirBucket() {
    // rank 20 of 40 is halfway through the (10, 20] bucket, which holds ranks 10..30.
    assertThat(histogram.quantile(0.5)).isCloseTo(15.0, within(1e-9));
    // rank 38 is 8/10 through the (20, 40] bucket.
    assertThat(histogram.quantile(0.95)).isCloseTo(36.0, within(1e-9));
    // rank 4 is 4/10 through the first bucket, which starts at 0.
    assertThat(histogram.quantile(0.1)).isCloseTo(4.0, within(1e-9));
  }

  @Test
  void beyondTheLastBucketTheLastBoundIsTheAnswer() {
    LatencyHistogram overflowing =
        new LatencyHistogram(new double[] {10, 20}, new double[] {5, 10}, 20);

    assertThat(overflowing.quantile(0.99)).isEqualTo(20.0);
  }

  @Test
  void noQuantileOfNothing() {
    assertThat(LatencyHistogram.EMPTY.quantile(0.5)).isNull();
    assertThat(new LatencyHistogram(new double[] {10}, new double[] {0}, 0).quantile(0.5)).isNull();
  }

  @Test
  void theDifferenceOfTwoReadingsIsWhatWasRecordedBetween() {
    LatencyHistogram later =
        new LatencyHistogram(new double[] {10, 20, 40}, new double[] {10, 35, 60}, 60);

    LatencyHistogram between = later.since(histogram);

    assertThat(between)
        .isEqualTo(new LatencyHistogram(new double[] {10, 20, 40}, new double[] {0, 5, 20}, 20));
    // rank 10 of 20 is 5/15 through the (20, 40] bucket, which holds ranks 5..20.
    assertThat(between.quantile(0.5)).isCloseTo(20 + 20 * 5.0 / 15, within(1e-9));
  }

  @Test
  void readingsThatCannotBeSubtractedGiveNoWindow() {
    LatencyHistogram rotated =
        new LatencyHistogram(new double[] {10, 20, 40}, new double[] {1, 2, 3}, 3);
    LatencyHistogram otherBuckets = new LatencyHistogram(new double[] {5}, new double[] {50}, 50);

    assertThat(rotated.since(histogram)).isNull();
    assertThat(otherBuckets.since(histogram)).isNull();
  }

  @Test
  void sinceAnEmptyReadingIsEverything() {
    assertThat(histogram.since(LatencyHistogram.EMPTY)).isEqualTo(histogram);
  }
}

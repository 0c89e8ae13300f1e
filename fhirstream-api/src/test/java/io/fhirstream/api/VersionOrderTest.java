package io.fhirstream.api;

import static io.fhirstream.api.VersionOrder.isNewer;
import static io.fhirstream.api.VersionOrder.numeric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class VersionOrderTest {
  private static final Instant T1 = Instant.parse("2024-05-01T08:00:00Z");
  private static final Instant T2 = Instant.parse("2024-05-01T09:00:00Z");

  @Test
  void higherNumberIsNewer() {
    assertThat(isNewer("2", T1, "1", T1)).isTrue();
    assertThat(isNewer("1", T1, "2", T1)).isFalse();
  }

  @Test
  void numbersCompareNumericallyNotAsText() {
    assertThat(isNewer("10", T1, "9", T1)).isTrue();
    assertThat(isNewer("9", T1, "10", T1)).isFalse();
  }

  @Test
  void sameVersionIsNotNewer() {
    assertThat(isNewer("3", T1, "3", T1)).isFalse();
    assertThat(isNewer("3", T2, "3", T1)).as("numbers win over timestamps").isFalse();
    assertThat(isNewer("03", T1, "3", T1)).as("leading zeros name the same number").isFalse();
  }

  @Test
  void numericVersionsIgnoreLastUpdated() {
    assertThat(isNewer("2", T1, "1", T2)).isTrue();
    assertThat(isNewer("2", null, "1", null)).isTrue();
  }

  @Test
  void nonNumericVersionsFallBackToLastUpdated() {
    assertThat(isNewer("a", T2, "b", T1)).isTrue();
    assertThat(isNewer("b", T1, "a", T2)).isFalse();
    assertThat(isNewer("b", T1, "b", T1)).isFalse();
  }

  @Test
  void oneNumericOneNotFallsBackToLastUpdated() {
    assertThat(isNewer("abc", T2, "7", T1)).isTrue();
    assertThat(isNewer("7", T2, "abc", T1)).isTrue();
    assertThat(isNewer("7", T1, "abc", T2)).isFalse();
  }

  @Test
  void lastUpdatedComparesBeyondMilliseconds() {
    assertThat(isNewer("a", T1.plusNanos(1), "b", T1)).isTrue();
    assertThat(isNewer("a", T1, "b", T1.plusNanos(1))).isFalse();
  }

  @Test
  void equalLastUpdatedIsNotNewer() {
    assertThat(isNewer("a", T1, "b", T1)).isFalse();
  }

  @Test
  void withoutAnyOrderWhatIsStoredIsKept() {
    // Arrival order is never trusted: a replayed old version must not win by arriving last.
    assertThat(isNewer("a", null, "b", null)).isFalse();
    assertThat(isNewer("a", T1, "b", null)).isFalse();
    assertThat(isNewer("a", null, "a", T1)).isFalse();
    assertThat(isNewer("a", null, null, null)).isFalse();
  }

  @Test
  void missingIncomingVersionWithoutOrderIsNotApplied() {
    assertThat(isNewer(null, null, "a", null)).isFalse();
    assertThat(isNewer(null, null, null, null)).isFalse();
    assertThat(isNewer(null, T1, null, T2)).isFalse();
    assertThat(isNewer(null, T2, null, T1)).isTrue();
  }

  @Test
  void eventsCompareByTheirVersions() {
    ChangeEvent v1 = FhirFixtures.patientVersion("p", 1);
    ChangeEvent v2 = FhirFixtures.patientDeletion("p", 2);
    assertThat(isNewer(v2, v1)).isTrue();
    assertThat(isNewer(v1, v2)).isFalse();
    assertThat(isNewer(v1, v1)).isFalse();
  }

  @Test
  void numericAcceptsOnlyPlainNonNegativeIntegersOfUpTo18Digits() {
    assertThat(numeric("0")).isZero();
    assertThat(numeric("42")).isEqualTo(42L);
    assertThat(numeric("007")).isEqualTo(7L);
    assertThat(numeric("9".repeat(18))).isEqualTo(999_999_999_999_999_999L);
    assertThat(numeric("1".repeat(19))).isNull();
    assertThat(numeric(null)).isNull();
    assertThat(numeric("")).isNull();
    assertThat(numeric("-1")).isNull();
    assertThat(numeric("+1")).isNull();
    assertThat(numeric("1.0")).isNull();
    assertThat(numeric(" 1")).isNull();
    assertThat(numeric("W/\"1\"")).isNull();
    assertThat(numeric("١")).as("non-ASCII digits").isNull();
  }
}

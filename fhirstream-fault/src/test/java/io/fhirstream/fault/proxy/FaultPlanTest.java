package io.fhirstream.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FaultPlanTest {

  @Test
  void noneIsTransparentWithDefaults() {
    FaultPlan none = FaultPlan.none();
    assertThat(none.isTransparent()).isTrue();
    assertThat(none.stallDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(none.retryAfterSeconds()).isEqualTo(1);
    for (RequestKind kind : RequestKind.values()) {
      assertThat(none.choose(kind, 0.0)).isNull();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = "EXPIRED_PAGE", mode = EnumSource.Mode.EXCLUDE)
  void alwaysInjectsIntoEveryFaultableRequest(Fault fault) {
    FaultPlan plan = FaultPlan.always(fault);
    for (RequestKind kind :
        new RequestKind[] {RequestKind.HISTORY, RequestKind.SEARCH, RequestKind.PAGING}) {
      assertThat(plan.choose(kind, 0.0)).isEqualTo(fault);
      assertThat(plan.choose(kind, 0.999_999)).isEqualTo(fault);
    }
  }

  @Test
  void passThroughRequestsNeverDrawAFault() {
    FaultPlan plan = FaultPlan.always(Fault.INTERNAL_ERROR);
    assertThat(plan.choose(RequestKind.PASS_THROUGH, 0.0)).isNull();
  }

  @Test
  void expiredPageOnlyHitsPagingRequests() {
    FaultPlan plan = FaultPlan.always(Fault.EXPIRED_PAGE);
    assertThat(plan.choose(RequestKind.PAGING, 0.5)).isEqualTo(Fault.EXPIRED_PAGE);
    assertThat(plan.choose(RequestKind.HISTORY, 0.5)).isNull();
    assertThat(plan.choose(RequestKind.SEARCH, 0.5)).isNull();
  }

  @Test
  void faultsTakeConsecutiveSlicesOfTheDraw() {
    FaultPlan plan =
        FaultPlan.builder()
            .probability(Fault.TOO_MANY_REQUESTS, 0.1)
            .probability(Fault.INTERNAL_ERROR, 0.2)
            .probability(Fault.EXPIRED_PAGE, 0.3)
            .build();
    assertThat(plan.choose(RequestKind.PAGING, 0.05)).isEqualTo(Fault.TOO_MANY_REQUESTS);
    assertThat(plan.choose(RequestKind.PAGING, 0.15)).isEqualTo(Fault.INTERNAL_ERROR);
    assertThat(plan.choose(RequestKind.PAGING, 0.45)).isEqualTo(Fault.EXPIRED_PAGE);
    assertThat(plan.choose(RequestKind.PAGING, 0.65)).isNull();
    // Without EXPIRED_PAGE the slices of the others stay as wide: the rest is forwarded.
    assertThat(plan.choose(RequestKind.SEARCH, 0.15)).isEqualTo(Fault.INTERNAL_ERROR);
    assertThat(plan.choose(RequestKind.SEARCH, 0.45)).isNull();
  }

  @Test
  void drawsMatchTheProbabilities() {
    FaultPlan plan =
        FaultPlan.builder()
            .probability(Fault.SERVICE_UNAVAILABLE, 0.25)
            .probability(Fault.STALL, 0.05)
            .build();
    Random random = new Random(7);
    Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
    int draws = 100_000;
    for (int i = 0; i < draws; i++) {
      Fault fault = plan.choose(RequestKind.HISTORY, random.nextDouble());
      if (fault != null) {
        counts.merge(fault, 1, Integer::sum);
      }
    }
    assertThat(counts).containsOnlyKeys(Fault.SERVICE_UNAVAILABLE, Fault.STALL);
    assertThat(counts.get(Fault.SERVICE_UNAVAILABLE) / (double) draws).isBetween(0.24, 0.26);
    assertThat(counts.get(Fault.STALL) / (double) draws).isBetween(0.045, 0.055);
  }

  @Test
  void probabilitiesMayAddUpToExactlyOne() {
    FaultPlan.Builder builder = FaultPlan.builder();
    for (Fault fault : Fault.values()) {
      builder.probability(fault, 1.0 / Fault.values().length);
    }
    FaultPlan plan = builder.build();
    assertThat(plan.choose(RequestKind.PAGING, 0.999_999_9)).isEqualTo(Fault.EXPIRED_PAGE);
  }

  @Test
  void probabilitiesAddingUpToMoreThanOneAreRejectedWithTheFix() {
    FaultPlan.Builder builder =
        FaultPlan.builder()
            .probability(Fault.TOO_MANY_REQUESTS, 0.6)
            .probability(Fault.CONNECTION_RESET, 0.6);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add up to 1.2")
        .hasMessageContaining("at most 1");
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.1, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
  void probabilityOutsideZeroToOneIsRejected(double p) {
    FaultPlan.Builder builder = FaultPlan.builder().probability(Fault.STALL, p);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("STALL")
        .hasMessageContaining("between 0 and 1");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 0, 300_001})
  void stallMustBePositiveAndAtMostFiveMinutes(long millis) {
    FaultPlan.Builder builder = FaultPlan.builder().stallDuration(Duration.ofMillis(millis));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stallDuration")
        .hasMessageContaining("at most PT5M");
  }

  @Test
  void negativeRetryAfterIsRejected() {
    assertThatThrownBy(() -> FaultPlan.builder().retryAfterSeconds(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryAfterSeconds");
  }

  @Test
  void toBuilderKeepsEverySetting() {
    FaultPlan plan =
        FaultPlan.builder()
            .probability(Fault.STALL, 0.3)
            .stallDuration(Duration.ofMillis(1500))
            .retryAfterSeconds(4)
            .build();
    FaultPlan copy = plan.toBuilder().probability(Fault.INTERNAL_ERROR, 0.1).build();
    assertThat(copy.probability(Fault.STALL)).isEqualTo(0.3);
    assertThat(copy.probability(Fault.INTERNAL_ERROR)).isEqualTo(0.1);
    assertThat(copy.stallDuration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(copy.retryAfterSeconds()).isEqualTo(4);
    assertThat(plan.probability(Fault.INTERNAL_ERROR)).isZero();
  }
}

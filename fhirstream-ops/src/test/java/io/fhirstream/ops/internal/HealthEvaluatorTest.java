package io.fhirstream.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.ops.HealthCheck;
import io.fhirstream.ops.HealthCheck.Result;
import io.fhirstream.ops.HealthCheck.Status;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthEvaluatorTest {
  private final MockClock clock = new MockClock();
  private final CountDownLatch never = new CountDownLatch(1);
  private HealthEvaluator evaluator;

  @AfterEach
  void close() {
    never.countDown();
    if (evaluator != null) {
      evaluator.close();
    }
  }

  private HealthEvaluator evaluator(List<HealthCheck> liveness, List<HealthCheck> readiness) {
    evaluator =
        new HealthEvaluator(
            liveness, readiness, Duration.ofMillis(300), Duration.ofSeconds(2), clock);
    return evaluator;
  }

  private static HealthCheck counting(String name, AtomicInteger calls, Result result) {
    return HealthCheck.of(
        name,
        () -> {
          calls.incrementAndGet();
          return result;
        });
  }

  @Test
  void readyOnlyWhenEveryCheckIsUp() {
    HealthEvaluator health =
        evaluator(
            List.of(),
            List.of(
                HealthCheck.of("kafka", Result::up),
                HealthCheck.of("fhir", () -> Result.down("503 from the server"))));

    HealthReport ready = health.ready();

    assertThat(ready.status()).isEqualTo(Status.DOWN);
    assertThat(ready.httpStatus()).isEqualTo(503);
    assertThat(ready.checks()).containsKeys("kafka", "fhir");
    assertThat(ready.checks().get("fhir")).isEqualTo(Result.down("503 from the server"));
    assertThat(Json.health(ready))
        .isEqualTo(
            "{\"status\":\"DOWN\",\"checks\":{\"kafka\":{\"status\":\"UP\"},"
                + "\"fhir\":{\"status\":\"DOWN\",\"detail\":\"503 from the server\"}}}");
  }

  @Test
  void aDependencyDownLeavesTheProcessLive() {
    HealthEvaluator health =
        evaluator(
            List.of(HealthCheck.of("pipeline", Result::up)),
            List.of(HealthCheck.of("kafka", () -> Result.down("no broker"))));

    assertThat(health.live().httpStatus()).isEqualTo(200);
    assertThat(health.ready().httpStatus()).isEqualTo(503);
  }

  @Test
  void aFatalStateMakesTheProcessNeitherLiveNorReady() {
    HealthEvaluator health =
        evaluator(
            List.of(HealthCheck.of("pipeline", () -> Result.down("sink stopped"))),
            List.of(HealthCheck.of("kafka", Result::up)));

    assertThat(health.live().httpStatus()).isEqualTo(503);
    assertThat(health.ready().httpStatus()).isEqualTo(503);
    assertThat(health.ready().checks()).containsOnlyKeys("pipeline", "kafka");
  }

  @Test
  void withoutChecksTheProcessIsLiveAndReady() {
    HealthEvaluator health = evaluator(List.of(), List.of());

    assertThat(health.live().isUp()).isTrue();
    assertThat(health.ready().isUp()).isTrue();
    assertThat(Json.health(health.ready())).isEqualTo("{\"status\":\"UP\",\"checks\":{}}");
  }

  @Test
  void aThrowingCheckIsDownAndShowsOnlyTheExceptionType() {
    HealthEvaluator health =
        evaluator(
            List.of(),
            List.of(
                HealthCheck.of(
                    "store",
                    () -> {
                      throw new IllegalStateException("jdbc://user:s3cret@db/fhir refused");
                    })));

    Result store = health.ready().checks().get("store");

    assertThat(store.status()).isEqualTo(Status.DOWN);
    assertThat(store.detail()).isEqualTo("failed: IllegalStateException");
  }

  @Test
  void aCheckAnsweringNothingIsDown() {
    HealthEvaluator health = evaluator(List.of(), List.of(HealthCheck.of("fhir", () -> null)));

    assertThat(health.ready().checks().get("fhir").status()).isEqualTo(Status.DOWN);
  }

  @Test
  void aCheckThatDoesNotAnswerInTimeIsDownAndTheOthersStillCount() {
    HealthEvaluator health =
        evaluator(
            List.of(),
            List.of(
                HealthCheck.of(
                    "fhir",
                    () -> {
                      never.await();
                      return Result.up();
                    }),
                HealthCheck.of("kafka", Result::up)));

    HealthReport ready = health.ready();

    assertThat(ready.httpStatus()).isEqualTo(503);
    assertThat(ready.checks().get("fhir")).isEqualTo(Result.down("no answer within 300 ms"));
    assertThat(ready.checks().get("kafka").isUp()).isTrue();
  }

  @Test
  void aHungCheckIsNotStartedAgainByLaterProbes() {
    AtomicInteger calls = new AtomicInteger();
    HealthEvaluator health =
        evaluator(
            List.of(),
            List.of(
                HealthCheck.of(
                    "fhir",
                    () -> {
                      calls.incrementAndGet();
                      never.await();
                      return Result.up();
                    })));

    for (int probe = 0; probe < 3; probe++) {
      clock.add(Duration.ofSeconds(10));
      assertThat(health.ready().isUp()).isFalse();
    }

    assertThat(calls).hasValue(1);
  }

  @Test
  void resultsAreReusedWithinTheCachePeriodAndByBothProbes() {
    AtomicInteger liveCalls = new AtomicInteger();
    AtomicInteger readyCalls = new AtomicInteger();
    HealthEvaluator health =
        evaluator(
            List.of(counting("pipeline", liveCalls, Result.up())),
            List.of(counting("fhir", readyCalls, Result.up())));

    health.live();
    health.ready();
    health.ready();
    clock.add(Duration.ofMillis(1999));
    health.ready();

    assertThat(liveCalls).hasValue(1);
    assertThat(readyCalls).hasValue(1);

    clock.add(Duration.ofMillis(1));
    health.ready();

    assertThat(liveCalls).hasValue(2);
    assertThat(readyCalls).hasValue(2);
  }

  @Test
  void aRecoveredCheckIsUpOnceTheCacheExpires() {
    AtomicInteger calls = new AtomicInteger();
    HealthEvaluator health =
        evaluator(
            List.of(),
            List.of(
                HealthCheck.of(
                    "kafka",
                    () -> calls.incrementAndGet() == 1 ? Result.down("no broker") : Result.up())));

    assertThat(health.ready().isUp()).isFalse();
    assertThat(health.ready().isUp()).isFalse();
    clock.add(Duration.ofSeconds(3));
    assertThat(health.ready().isUp()).isTrue();
  }

  @Test
  void longDetailsAreCutSoProbeBodiesStaySmall() {
    Result result = Result.down("x".repeat(1000));

    assertThat(result.detail()).hasSize(Result.MAX_DETAIL).endsWith("…");
  }
}

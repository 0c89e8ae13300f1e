package io.fhirstream.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fhirstream.ops.DashboardSource;
import io.fhirstream.ops.DashboardSource.Aggregate;
import io.fhirstream.ops.DashboardSource.DeadLetter;
import io.fhirstream.ops.DashboardSource.FirstLoad;
import io.fhirstream.ops.DashboardSource.Group;
import io.fhirstream.ops.MeterNames;
import io.fhirstream.ops.internal.DashboardSnapshot.Latest;
import io.fhirstream.ops.internal.DashboardSnapshot.ReasonCount;
import io.fhirstream.ops.internal.DashboardSnapshot.TopicLag;
import io.fhirstream.ops.internal.DashboardSnapshot.TypeRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DashboardModelTest {
  private final MockClock clock = new MockClock();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);

  private DashboardModel model(DashboardSource source) {
    return new DashboardModel(registry, source, clock, DashboardModel.Settings.DEFAULT);
  }

  private Counter published(String type) {
    return registry.counter(MeterNames.SOURCE_PUBLISHED, MeterNames.TYPE, type);
  }

  private Counter written(String type) {
    return registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, type);
  }

  /** One second passes, during which the counters move by the given amounts; then a sample. */
  private void second(DashboardModel model, double published, double written) {
    clock.add(Duration.ofSeconds(1));
    published("Patient").increment(published);
    written("Patient").increment(written);
    model.sample();
  }

  @Test
  void ratesAreChangesPerSecondOverTheLastTenSeconds() {
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    for (int s = 0; s < 30; s++) {
      second(model, 100, 40);
    }
    for (int s = 0; s < 10; s++) {
      second(model, 10, 8);
    }

    DashboardSnapshot snapshot = model.snapshot();

    assertThat(snapshot.rates().windowSeconds()).isEqualTo(10);
    assertThat(snapshot.rates().published()).isCloseTo(10.0, within(1e-9));
    assertThat(snapshot.rates().written()).isCloseTo(8.0, within(1e-9));
    assertThat(snapshot.totals().published()).isEqualTo(30 * 100 + 10 * 10);
    assertThat(snapshot.totals().written()).isEqualTo(30 * 40 + 10 * 8);
  }

  @Test
  void ratesAreUnknownUntilTimeHasPassed() {
    DashboardModel model = model(DashboardSource.NONE);
    published("Patient").increment(5);

    DashboardSnapshot snapshot = model.snapshot();

    assertThat(snapshot.rates().published()).isNull();
    assertThat(snapshot.rates().written()).isNull();
    assertThat(snapshot.totals().published()).isEqualTo(5);
  }

  @Test
  void ratesUseTheMeasuredIntervalWhenTicksAreLate() {
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    clock.add(Duration.ofSeconds(4));
    published("Patient").increment(100);
    model.sample();

    assertThat(model.snapshot().rates().published()).isCloseTo(25.0, within(1e-9));
  }

  @Test
  void seriesHasOnePointPerStepOverFiveMinutesWithGapsBeforeTheHistoryStarts() {
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    for (int s = 0; s < 60; s++) {
      second(model, s < 30 ? 2 : 6, 1);
    }

    DashboardSnapshot.Series series = model.snapshot().series();

    assertThat(series.stepSeconds()).isEqualTo(5);
    assertThat(series.times()).hasSize(60);
    assertThat(series.times().get(59)).isEqualTo(clock.wallTime());
    assertThat(series.times().get(58)).isEqualTo(clock.wallTime() - 5_000);
    // 60 s of history cover the last 12 points; the 48 before have no data.
    assertThat(series.published().subList(0, 48)).containsOnlyNulls();
    assertThat(series.published().subList(48, 54)).allSatisfy(r -> assertThat(r).isEqualTo(2.0));
    assertThat(series.published().subList(54, 60)).allSatisfy(r -> assertThat(r).isEqualTo(6.0));
    assertThat(series.written().subList(48, 60)).allSatisfy(r -> assertThat(r).isEqualTo(1.0));
  }

  @Test
  void historyIsKeptForFiveMinutesOnly() {
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    for (int s = 0; s < 400; s++) {
      second(model, 3, 3);
    }

    DashboardSnapshot.Series series = model.snapshot().series();

    assertThat(series.published()).hasSize(60).doesNotContainNull();
    assertThat(series.published()).allSatisfy(r -> assertThat(r).isEqualTo(3.0));
  }

  @Test
  void lagIsSummedPerTopicOverItsPartitions() {
    Map<String, Long> lags =
        Map.of("fhir.Patient/0", 5L, "fhir.Patient/1", 7L, "fhir.Observation/0", 30L);
    lags.forEach(
        (key, lag) -> {
          String[] parts = key.split("/");
          AtomicLong value = new AtomicLong(lag);
          Gauge.builder(MeterNames.SINK_LAG, value, AtomicLong::get)
              .tags(MeterNames.TOPIC, parts[0], MeterNames.PARTITION, parts[1])
              .register(registry);
        });

    DashboardSnapshot snapshot = model(DashboardSource.NONE).snapshot();

    assertThat(snapshot.lag())
        .containsExactly(
            new TopicLag("fhir.Observation", 30, 1), new TopicLag("fhir.Patient", 12, 2));
    assertThat(snapshot.totals().lag()).isEqualTo(42);
  }

  @Test
  void aGaugeWithoutAValueIsLeftOutOfTheLag() {
    Gauge.builder(MeterNames.SINK_LAG, () -> Double.NaN)
        .tags(MeterNames.TOPIC, "fhir.Patient", MeterNames.PARTITION, "0")
        .register(registry);
    Gauge.builder(MeterNames.SINK_LAG, () -> 4)
        .tags(MeterNames.TOPIC, "fhir.Patient", MeterNames.PARTITION, "1")
        .register(registry);

    DashboardSnapshot snapshot = model(DashboardSource.NONE).snapshot();

    assertThat(snapshot.totals().lag()).isEqualTo(4);
    assertThat(snapshot.lag()).containsExactly(new TopicLag("fhir.Patient", 4, 1));
  }

  @Test
  void latencyPercentilesCoverTheLastMinuteNotSinceStartUp() {
    Timer timer = MeterNames.sinkLatency().register(registry);
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    IntStream.range(0, 100).forEach(i -> timer.record(Duration.ofSeconds(2)));
    for (int s = 0; s < 120; s++) {
      clock.add(Duration.ofSeconds(1));
      model.sample();
    }
    // The last minute: 90 writes around 10 ms, 10 around 200 ms.
    IntStream.range(0, 90).forEach(i -> timer.record(Duration.ofMillis(10)));
    IntStream.range(0, 10).forEach(i -> timer.record(Duration.ofMillis(200)));
    clock.add(Duration.ofSeconds(1));
    model.sample();

    DashboardSnapshot.Latency latency = model.snapshot().latency();

    assertThat(latency.source()).isEqualTo("histogram");
    assertThat(latency.windowSeconds()).isEqualTo(60);
    assertThat(latency.count()).isEqualTo(100);
    // Bucket interpolation: within the bucket holding the value (Micrometer's are ~10 % wide).
    assertThat(latency.p50()).isBetween(8.0, 11.0);
    assertThat(latency.p95()).isBetween(150.0, 230.0);
    assertThat(latency.p99()).isBetween(150.0, 230.0);
  }

  @Test
  void latencyPercentilesAreUnknownWhenNothingWasWrittenInTheWindow() {
    Timer timer = MeterNames.sinkLatency().register(registry);
    timer.record(Duration.ofMillis(50));
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    clock.add(Duration.ofSeconds(5));
    model.sample();

    DashboardSnapshot.Latency latency = model.snapshot().latency();

    assertThat(latency.count()).isZero();
    assertThat(latency.p95()).isNull();
  }

  @Test
  void latencySeriesHasPercentilesPerPoint() {
    Timer timer = MeterNames.sinkLatency().register(registry);
    DashboardModel model = model(DashboardSource.NONE);
    model.sample();
    for (int s = 0; s < 40; s++) {
      clock.add(Duration.ofSeconds(1));
      timer.record(Duration.ofMillis(s < 20 ? 20 : 400));
      model.sample();
    }

    DashboardSnapshot.Series series = model.snapshot().series();

    assertThat(series.latencyWindowSeconds()).isEqualTo(30);
    assertThat(series.p50().get(59)).isBetween(300.0, 450.0);
    assertThat(series.p50().get(57)).isBetween(15.0, 23.0);
  }

  @Test
  void aTimerWithoutHistogramFallsBackToItsOwnPercentilesOrWarns() {
    Timer plain = Timer.builder(MeterNames.SINK_LATENCY).register(registry);
    plain.record(Duration.ofMillis(5));

    DashboardSnapshot snapshot = model(DashboardSource.NONE).snapshot();

    assertThat(snapshot.latency().source()).isEqualTo("none");
    assertThat(snapshot.warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("MeterNames.sinkLatency()");
  }

  @Test
  void deadLettersAreCountedByReasonAndTheLatestComeFromTheSource() {
    registry.counter(MeterNames.SINK_DEAD_LETTERS, MeterNames.REASON, "unparseable").increment(3);
    registry.counter(MeterNames.SINK_DEAD_LETTERS, MeterNames.REASON, "invalid").increment(5);
    registry.counter(MeterNames.SINK_DEAD_LETTERS).increment(2);
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    DashboardSource source =
        new DashboardSource() {
          @Override
          public List<DeadLetter> latestDeadLetters(int limit) {
            return IntStream.range(0, 20)
                .mapToObj(i -> new DeadLetter(at.minusSeconds(i), "fhir.Patient", "reason " + i))
                .limit(limit)
                .toList();
          }
        };

    DashboardSnapshot.DeadLetters deadLetters = model(source).snapshot().deadLetters();

    assertThat(deadLetters.total()).isEqualTo(10);
    assertThat(deadLetters.byReason())
        .containsExactly(new ReasonCount("invalid", 5), new ReasonCount("unparseable", 3));
    assertThat(deadLetters.latest()).hasSize(8);
    assertThat(deadLetters.latest().get(0))
        .isEqualTo(new Latest(at.toEpochMilli(), "fhir.Patient", "reason 0"));
  }

  @Test
  void typeRowsJoinTheCountersWithStoreCountsAndFirstLoad() {
    published("Patient").increment(12);
    written("Patient").increment(10);
    written("Observation").increment(4);
    DashboardSource source =
        new DashboardSource() {
          @Override
          public Map<String, Long> storeCounts() {
            return Map.of("Patient", 9L, "Encounter", 2L);
          }

          @Override
          public List<FirstLoad> firstLoad() {
            return List.of(new FirstLoad("Patient", 50, 200), new FirstLoad("Observation", 3, -1));
          }
        };

    List<TypeRow> rows = model(source).snapshot().types();

    assertThat(rows)
        .containsExactly(
            new TypeRow("Encounter", 0, 0, 2L, null, null),
            new TypeRow("Observation", 0, 4, null, 3L, -1L),
            new TypeRow("Patient", 12, 10, 9L, 50L, 200L));
  }

  @Test
  void aFailingSourcePartEmptiesThatSectionOnlyAndSaysSo() {
    written("Patient").increment(1);
    DashboardSource source =
        new DashboardSource() {
          @Override
          public Map<String, Long> storeCounts() {
            throw new IllegalStateException("connection refused");
          }

          @Override
          public List<Aggregate> aggregates() {
            return List.of(new Aggregate("By class", "encounters", List.of(new Group("amb", 3))));
          }
        };

    DashboardSnapshot snapshot = model(source).snapshot();

    assertThat(snapshot.warnings())
        .containsExactly("store counts unavailable (IllegalStateException, see the log)");
    assertThat(snapshot.types()).containsExactly(new TypeRow("Patient", 0, 1, null, null, null));
    assertThat(snapshot.aggregates()).hasSize(1);
  }

  @Test
  void aggregateGroupsWithoutAFiniteValueAreLeftOut() {
    DashboardSource source =
        new DashboardSource() {
          @Override
          public List<Aggregate> aggregates() {
            return List.of(
                new Aggregate(
                    "Mean age",
                    null,
                    List.of(new Group("a", 1.5), new Group("b", Double.NaN), new Group("c", 2))));
          }
        };

    List<Aggregate> aggregates = model(source).snapshot().aggregates();

    assertThat(aggregates.get(0).groups()).containsExactly(new Group("a", 1.5), new Group("c", 2));
  }

  @Test
  void theSnapshotIsValidJsonWithNullsForUnknowns() throws Exception {
    String json = Json.write(model(DashboardSource.NONE).snapshot());

    var tree = Json.MAPPER.readTree(json);
    assertThat(tree.get("rates").get("published").isNull()).isTrue();
    assertThat(tree.get("series").get("published")).hasSize(60);
    assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
  }
}

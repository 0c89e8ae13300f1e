package io.fhirstream.ops.internal;

import io.fhirstream.ops.DashboardSource;
import io.fhirstream.ops.DashboardSource.Aggregate;
import io.fhirstream.ops.DashboardSource.FirstLoad;
import io.fhirstream.ops.MeterNames;
import io.fhirstream.ops.internal.DashboardSnapshot.DeadLetters;
import io.fhirstream.ops.internal.DashboardSnapshot.Latest;
import io.fhirstream.ops.internal.DashboardSnapshot.ReasonCount;
import io.fhirstream.ops.internal.DashboardSnapshot.TopicLag;
import io.fhirstream.ops.internal.DashboardSnapshot.Totals;
import io.fhirstream.ops.internal.DashboardSnapshot.TypeRow;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the dashboard from the meters and the {@link DashboardSource}: {@link #sample()} once a
 * second records the meters, {@link #snapshot()} turns the recent samples into rates, chart series
 * and windowed percentiles. The clock is Micrometer's, so tests move time by hand.
 */
public final class DashboardModel {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardModel.class);
  private static final String NO_TOPIC = "(untagged)";

  /**
   * The spans: the charts cover {@code history} in points {@code step} apart; the headline rates
   * cover {@code rateWindow}; the latency tiles {@code latencyWindow}, and each chart point the
   * {@code seriesLatencyWindow} before it.
   */
  public record Settings(
      Duration history,
      Duration step,
      Duration rateWindow,
      Duration latencyWindow,
      Duration seriesLatencyWindow,
      int deadLetterLimit) {
    public static final Settings DEFAULT =
        new Settings(
            Duration.ofMinutes(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            8);
  }

  private final MeterRegistry registry;
  private final MeterReader meters;
  private final DashboardSource source;
  private final Clock clock;
  private final Settings settings;
  private final MeterHistory history;
  private final Set<String> failing = new HashSet<>();

  public DashboardModel(
      MeterRegistry registry, DashboardSource source, Clock clock, Settings settings) {
    this.registry = registry;
    this.meters = new MeterReader(registry);
    this.source = source;
    this.clock = clock;
    this.settings = settings;
    this.history =
        new MeterHistory(settings.history().plus(settings.seriesLatencyWindow()).plusSeconds(1));
  }

  /** Records the meters now; call once a second. */
  public synchronized void sample() {
    history.add(
        new MeterSample(
            clock.monotonicTime(),
            clock.wallTime(),
            meters.total(MeterNames.SOURCE_PUBLISHED),
            meters.total(MeterNames.SINK_WRITTEN),
            meters.total(MeterNames.SINK_LAG),
            LatencyHistogram.of(registry.find(MeterNames.SINK_LATENCY).timers())));
  }

  /** The dashboard as of the latest sample (taking one first if there is none). */
  public synchronized DashboardSnapshot snapshot() {
    if (history.isEmpty()) {
      sample();
    }
    List<String> warnings = new ArrayList<>();
    Map<String, Long> stored = read("store counts", source::storeCounts, Map.of(), warnings);
    List<FirstLoad> loads = read("first-load progress", source::firstLoad, List.of(), warnings);
    List<DashboardSource.DeadLetter> latest =
        read(
            "latest dead letters",
            () -> source.latestDeadLetters(settings.deadLetterLimit()),
            List.of(),
            warnings);
    List<Aggregate> aggregates = read("aggregates", source::aggregates, List.of(), warnings);
    LatencyWindows latency = new LatencyWindows(history, registry, settings);
    if (latency.missingHistogram()) {
      warnings.add(
          MeterNames.SINK_LATENCY
              + " keeps no histogram, so no percentiles: register it with"
              + " MeterNames.sinkLatency()");
    }
    MeterSample now = history.newest();
    return new DashboardSnapshot(
        now.wallMillis(),
        new Totals(
            Math.round(now.published()),
            Math.round(now.written()),
            Math.round(meters.total(MeterNames.SINK_DEAD_LETTERS)),
            Math.round(now.lag())),
        Rates.current(history, settings.rateWindow()),
        Rates.series(history, settings, latency),
        latency.current(),
        lagByTopic(),
        typeRows(stored, loads),
        deadLetters(latest),
        finite(aggregates),
        warnings);
  }

  private List<TopicLag> lagByTopic() {
    Map<String, Double> lag = meters.byTag(MeterNames.SINK_LAG, MeterNames.TOPIC, NO_TOPIC);
    Map<String, Integer> partitions =
        meters.countByTag(MeterNames.SINK_LAG, MeterNames.TOPIC, NO_TOPIC);
    return lag.entrySet().stream()
        .map(
            e ->
                new TopicLag(
                    e.getKey(), Math.round(e.getValue()), partitions.getOrDefault(e.getKey(), 0)))
        .toList();
  }

  private List<TypeRow> typeRows(Map<String, Long> stored, List<FirstLoad> loads) {
    Map<String, Double> published =
        meters.byTag(MeterNames.SOURCE_PUBLISHED, MeterNames.TYPE, null);
    Map<String, Double> written = meters.byTag(MeterNames.SINK_WRITTEN, MeterNames.TYPE, null);
    Map<String, FirstLoad> loadByType = new TreeMap<>();
    loads.forEach(load -> loadByType.put(load.type(), load));
    Set<String> types = new TreeSet<>();
    types.addAll(published.keySet());
    types.addAll(written.keySet());
    types.addAll(stored.keySet());
    types.addAll(loadByType.keySet());
    List<TypeRow> rows = new ArrayList<>();
    for (String type : types) {
      FirstLoad load = loadByType.get(type);
      rows.add(
          new TypeRow(
              type,
              Math.round(published.getOrDefault(type, 0.0)),
              Math.round(written.getOrDefault(type, 0.0)),
              stored.get(type),
              load == null ? null : load.done(),
              load == null ? null : load.total()));
    }
    return rows;
  }

  private DeadLetters deadLetters(List<DashboardSource.DeadLetter> latest) {
    List<ReasonCount> byReason =
        meters.byTag(MeterNames.SINK_DEAD_LETTERS, MeterNames.REASON, null).entrySet().stream()
            .map(e -> new ReasonCount(e.getKey(), Math.round(e.getValue())))
            .filter(reason -> reason.count() > 0)
            .sorted((a, b) -> Long.compare(b.count(), a.count()))
            .toList();
    return new DeadLetters(
        Math.round(meters.total(MeterNames.SINK_DEAD_LETTERS)),
        byReason,
        latest.stream()
            .limit(settings.deadLetterLimit())
            .map(d -> new Latest(d.time().toEpochMilli(), d.topic(), d.reason()))
            .toList());
  }

  /** JSON has no NaN or infinity: a group without a finite value is left out. */
  private static List<Aggregate> finite(List<Aggregate> aggregates) {
    return aggregates.stream()
        .map(
            a ->
                new Aggregate(
                    a.name(),
                    a.unit(),
                    a.groups().stream().filter(g -> Double.isFinite(g.value())).toList()))
        .toList();
  }

  /**
   * Calls one of the source's methods; a failure empties that section and warns on the page, and is
   * logged once until the part recovers, not once a second.
   */
  private <T> T read(String part, Supplier<T> call, T empty, List<String> warnings) {
    try {
      T value = call.get();
      if (failing.remove(part)) {
        LOG.info("dashboard: {} readable again", part);
      }
      return value == null ? empty : value;
    } catch (RuntimeException e) {
      if (failing.add(part)) {
        LOG.warn("dashboard: reading {} failed: {}", part, e.toString());
      }
      warnings.add(part + " unavailable (" + e.getClass().getSimpleName() + ", see the log)");
      return empty;
    }
  }
}

package io.fhirstream.runtime.ops;

import io.fhirstream.analytics.aggregate.AggregateDefinition;
import io.fhirstream.api.metrics.Meters;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.ops.DashboardSource;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.analytics.AggregateGroups;
import io.fhirstream.runtime.analytics.AnalyticsRole;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the dashboard shows beyond the meters. The store's counts (through its {@link
 * DocumentReader}) and the latest dead letters (read from the dead-letter topic) are refreshed
 * every {@link #REFRESH} on a thread of their own and served from a cache, so the endpoint's thread
 * never waits for a store or a broker. First-load progress comes from the gauges the source
 * registers ({@link Meters#SOURCE_FIRST_LOAD_DONE}, {@link Meters#SOURCE_FIRST_LOAD_EXPECTED}).
 *
 * <p>With the analytics role in this process, its aggregates are read back from the store on the
 * same refresh (first measure of each, windows summed: {@link AggregateGroups}). <b>Extension
 * point:</b> another component may supply them with {@link #aggregates(Supplier)}; the supplier is
 * called from the endpoint's thread, so it must return a cached value.
 */
public final class PipelineDashboard implements DashboardSource, AutoCloseable {
  static final Duration REFRESH = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(PipelineDashboard.class);

  private final MeterRegistry metrics;
  private volatile Map<String, Long> storeCounts = Map.of();
  private volatile List<DeadLetter> deadLetters = List.of();
  private volatile Supplier<List<Aggregate>> aggregates = List::of;
  private ScheduledExecutorService refresher;
  private DocumentReader reader;
  private ResultReader results;
  private volatile List<Aggregate> analyticsAggregates = List.of();
  private DeadLetterTail tail;
  private boolean storeFailing;

  PipelineDashboard(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  /** Supplies the analytics section: aggregates in display order, cached by the supplier. */
  public void aggregates(Supplier<List<Aggregate>> supplier) {
    this.aggregates = supplier;
  }

  synchronized void attach(Pipeline pipeline, Settings settings) {
    tail = new DeadLetterTail(pipeline.hub());
    AnalyticsRole analytics = pipeline.analytics();
    if (analytics != null && settings.storeConfig() != null) {
      aggregates(() -> analyticsAggregates);
    }
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fhirstream-dashboard");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(
        () -> refresh(settings, analytics), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh(Settings settings, AnalyticsRole analytics) {
    if (settings.storeConfig() != null) {
      storeCounts = countStore(settings);
      if (analytics != null) {
        analyticsAggregates = readAggregates(settings, analytics);
      }
    }
    deadLetters = tail.latest();
  }

  private List<Aggregate> readAggregates(Settings settings, AnalyticsRole analytics) {
    try {
      if (results == null) {
        results = settings.storeFactory().createResultReader(settings.storeConfig());
      }
      List<Aggregate> charts = new ArrayList<>();
      for (AggregateDefinition aggregate : analytics.definitions().aggregates()) {
        if (aggregate.measures().isEmpty()) {
          continue;
        }
        String measure = aggregate.measures().get(0).name();
        List<Group> groups = new ArrayList<>();
        AggregateGroups.of(results, aggregate.name(), measure)
            .forEach((label, value) -> groups.add(new Group(label, value)));
        charts.add(new Aggregate(aggregate.name(), measure, groups));
      }
      return charts;
    } catch (RuntimeException e) {
      // Logged once by the store count above when the store is down; keep the last charts.
      closeResults();
      return analyticsAggregates;
    }
  }

  private void closeResults() {
    if (results != null) {
      try {
        results.close();
      } catch (RuntimeException e) {
        // reopened at the next refresh
      }
      results = null;
    }
  }

  private Map<String, Long> countStore(Settings settings) {
    try {
      if (reader == null) {
        reader = settings.storeFactory().createReader(settings.storeConfig());
      }
      Map<String, Long> counts = new TreeMap<>();
      for (String type : reader.resourceTypes()) {
        counts.put(type, reader.count(type));
      }
      if (storeFailing) {
        LOG.info("dashboard: the store is readable again");
        storeFailing = false;
      }
      return counts;
    } catch (RuntimeException e) {
      if (!storeFailing) {
        LOG.warn("dashboard: cannot count the store's documents: {}", e.getMessage());
        storeFailing = true;
      }
      closeReader();
      return storeCounts;
    }
  }

  @Override
  public Map<String, Long> storeCounts() {
    return storeCounts;
  }

  @Override
  public List<DeadLetter> latestDeadLetters(int limit) {
    List<DeadLetter> latest = deadLetters;
    return latest.subList(0, Math.min(limit, latest.size()));
  }

  @Override
  public List<FirstLoad> firstLoad() {
    List<FirstLoad> loads = new ArrayList<>();
    for (Gauge done : metrics.find(Meters.SOURCE_FIRST_LOAD_DONE).gauges()) {
      String type = done.getId().getTag(Meters.TYPE);
      if (type == null || !Double.isFinite(done.value())) {
        continue;
      }
      Gauge totalGauge =
          metrics.find(Meters.SOURCE_FIRST_LOAD_EXPECTED).tag(Meters.TYPE, type).gauge();
      double total =
          totalGauge == null || !Double.isFinite(totalGauge.value()) ? -1 : totalGauge.value();
      if (total >= 0 && done.value() >= total) {
        continue; // done: the section shows loads in progress only
      }
      loads.add(new FirstLoad(type, Math.round(done.value()), Math.round(total)));
    }
    return loads;
  }

  @Override
  public List<Aggregate> aggregates() {
    return aggregates.get();
  }

  private void closeReader() {
    if (reader != null) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        // reopened at the next refresh
      }
      reader = null;
    }
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
      try {
        refresher.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeReader();
    closeResults();
    if (tail != null) {
      tail.close();
    }
  }
}

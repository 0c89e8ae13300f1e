package io.fhirstream.runtime.ops;

import io.fhirstream.api.metrics.Meters;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.ops.DashboardSource;
import io.fhirstream.runtime.Pipeline;
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
 * registers ({@link Meters#SOURCE_FIRST_LOAD_DONE}, {@link Meters#SOURCE_FIRST_LOAD_TOTAL}).
 *
 * <p><b>Extension point:</b> analytics aggregates are empty until a component supplies them with
 * {@link #aggregates(Supplier)}; the supplier is called from the endpoint's thread, so it must
 * return a cached value.
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
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fhirstream-dashboard");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(
        () -> refresh(settings), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refresh(Settings settings) {
    if (settings.storeConfig() != null) {
      storeCounts = countStore(settings);
    }
    deadLetters = tail.latest();
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
          metrics.find(Meters.SOURCE_FIRST_LOAD_TOTAL).tag(Meters.TYPE, type).gauge();
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
    if (tail != null) {
      tail.close();
    }
  }
}

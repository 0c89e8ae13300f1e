package io.fhirstream.ops.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlets.EventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the dashboard: once per interval, on one thread, it samples the meters, builds the
 * snapshot, keeps its JSON for {@code /api/dashboard} and pushes it to every stream viewer. So the
 * {@code DashboardSource} is called once a second whatever the number of viewers and requests.
 */
public final class DashboardService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardService.class);

  private final DashboardModel model;
  private final Duration interval;
  private final int maxViewers;
  private final Set<EventSource.Emitter> viewers = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker;
  private volatile String latest;
  private boolean failing;

  public DashboardService(DashboardModel model, Duration interval, int maxViewers) {
    this.model = model;
    this.interval = interval;
    this.maxViewers = maxViewers;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "fhirstream-dashboard");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Takes the first snapshot on the caller's thread (so a broken model fails start-up), then ticks.
   */
  public void start() {
    latest = Json.write(model.snapshot());
    long period = interval.toMillis();
    ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** The latest snapshot's JSON. */
  public String latest() {
    return latest;
  }

  int viewers() {
    return viewers.size();
  }

  private void tick() {
    // A scheduled task that throws is never run again: the dashboard would freeze silently.
    try {
      model.sample();
      String json = Json.write(model.snapshot());
      latest = json;
      viewers.forEach(viewer -> send(viewer, json));
      if (failing) {
        failing = false;
        LOG.info("dashboard: snapshots are computed again");
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        LOG.warn("dashboard: computing the snapshot failed, the page shows the last one", e);
      }
    }
  }

  private void send(EventSource.Emitter viewer, String json) {
    try {
      viewer.data(json);
    } catch (IOException e) {
      // The browser went away: its connection is done with.
      viewers.remove(viewer);
      viewer.close();
    }
  }

  /** A stream viewer, or null (the servlet answers 503) when there are already too many. */
  EventSource newViewer() {
    if (viewers.size() >= maxViewers) {
      LOG.warn("dashboard: refusing a stream viewer, {} are connected already", maxViewers);
      return null;
    }
    return new EventSource() {
      private Emitter emitter;

      @Override
      public void onOpen(Emitter emitter) throws IOException {
        this.emitter = emitter;
        viewers.add(emitter);
        emitter.data(latest);
      }

      @Override
      public void onClose() {
        viewers.remove(emitter);
      }
    };
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    viewers.forEach(EventSource.Emitter::close);
    viewers.clear();
  }
}

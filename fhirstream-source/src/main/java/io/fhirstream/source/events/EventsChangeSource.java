package io.fhirstream.source.events;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.hub.HubFeed;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.source.SourceContext;
import io.fhirstream.source.FhirChangeSource;
import io.fhirstream.source.FhirSourceFactory;
import io.fhirstream.source.SourceConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure Health Data Services FHIR events as a change source. Each batch read from the events' hub
 * topic is planned ({@link EventPlan}: newest version per resource, nothing already published, only
 * this FHIR service and the captured types), the versions it names are read from the server ({@link
 * VersionReader}) and deletions become tombstones, all are published and acknowledged, and only
 * then is the batch committed on the feed: a crash re-reads the events, never loses one.
 *
 * <p>Events are at least once and unordered, and Event Grid gives up on an event it cannot deliver
 * for a day, so the FHIR source runs beside them as a slow safety net ({@code
 * source.events.safety-net-interval}): its first load, then history polls. Its cursor is what
 * {@link #publishedUpTo} reports. Both publish the same resource versions; the stores' version
 * guard makes a version published twice harmless.
 */
final class EventsChangeSource implements ChangeSource {
  private static final Logger LOG = LoggerFactory.getLogger(EventsChangeSource.class);
  private static final Duration POLL = Duration.ofSeconds(1);

  private final EventsConfig events;
  private final SourceConfig fhir;
  private final SourceContext context;
  private FhirChangeSource polling;
  private HubFeed feed;
  private EventsBatch batches;
  private ExecutorService readers;
  private volatile boolean running = true;
  private volatile Thread pollingThread;
  private volatile RuntimeException pollingFailure;

  EventsChangeSource(EventsConfig events, SourceConfig fhir, SourceContext context) {
    this.events = events;
    this.fhir = fhir;
    this.context = context;
  }

  @Override
  public List<String> start() {
    polling = FhirSourceFactory.source(fhir, context);
    List<String> captured = polling.start();
    AtomicInteger names = new AtomicInteger();
    readers =
        Executors.newFixedThreadPool(
            events.readParallelism(),
            task -> {
              Thread thread = new Thread(task, "fhirstream-events-read-" + names.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    EventPublisher publisher = context.publisher("fhirstream-events", fhir.baseUrl());
    batches =
        new EventsBatch(
            fhir,
            Set.copyOf(captured),
            publisher,
            context.jsonLimits(),
            readers,
            context.metrics());
    feed = context.feed(events.topic(), events.consumerGroup());
    LOG.info(
        "source: Health Data Services events of {} from {} ({}), polling every {} as a safety net",
        account(fhir.baseUrl()),
        events.topic(),
        captured,
        events.safetyNetInterval());
    return captured;
  }

  @Override
  public void run() {
    pollingThread = new Thread(this::runPolling, "fhirstream-source-safety-net");
    pollingThread.start();
    try {
      while (running && !Thread.currentThread().isInterrupted()) {
        List<HubFeed.Entry> entries = feed.poll(POLL);
        if (!entries.isEmpty()) {
          deliver(
              batches.plan(
                  entries.stream().map(HubFeed.Entry::value).toList(),
                  entries.stream().map(HubFeed.Entry::position).toList()));
          feed.commit();
        }
      }
    } catch (CancellationException e) {
      // stopping
    } finally {
      running = false;
      polling.stop();
      pollingThread.interrupt();
      try {
        pollingThread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (pollingFailure != null) {
      throw pollingFailure; // stops the source role, as it would the FHIR source's
    }
  }

  private void runPolling() {
    try {
      polling.run();
    } catch (RuntimeException e) {
      if (running) {
        pollingFailure = e;
        running = false;
      }
    }
  }

  /**
   * Reads and publishes what the plan names, waiting out a FHIR server or hub that is away (the
   * feed is not committed meanwhile, so nothing is lost if this instance dies).
   */
  private void deliver(EventPlan plan) {
    for (int attempt = 1; ; attempt++) {
      try {
        batches.deliver(plan);
        return;
      } catch (RetriableException e) {
        Duration delay = Backoff.DEFAULT.delay(attempt, null);
        LOG.warn(
            "events batch not published ({}); retrying in {} ms", e.getMessage(), delay.toMillis());
        sleep(delay);
      }
    }
  }

  private void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("stopping");
    }
    if (!running) {
      throw new CancellationException("stopping");
    }
  }

  @Override
  public void stop() {
    running = false;
    if (polling != null) {
      polling.stop();
    }
  }

  /**
   * The safety net's cursor: every change before it is published, whether or not its event came.
   */
  @Override
  public Optional<Instant> publishedUpTo(String resourceType) {
    return polling == null ? Optional.empty() : polling.publishedUpTo(resourceType);
  }

  @Override
  public void close() {
    if (readers != null) {
      readers.shutdownNow();
    }
    if (polling != null) {
      polling.close();
    }
  }

  /**
   * How Health Data Services names the FHIR service in {@code resourceFhirAccount}: the base URL's
   * host, with its port when it is not the scheme's default.
   */
  static String account(URI baseUrl) {
    String host = baseUrl.getHost().toLowerCase(Locale.ROOT);
    int port = baseUrl.getPort();
    boolean standard =
        port == -1
            || (port == 443 && "https".equalsIgnoreCase(baseUrl.getScheme()))
            || (port == 80 && "http".equalsIgnoreCase(baseUrl.getScheme()));
    return standard ? host : host + ":" + port;
  }
}

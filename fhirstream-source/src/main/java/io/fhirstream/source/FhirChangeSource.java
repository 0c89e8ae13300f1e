package io.fhirstream.source;

import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.source.SourceContext;
import io.fhirstream.source.capture.Backfill;
import io.fhirstream.source.capture.CrawlTarget;
import io.fhirstream.source.capture.Crawler;
import io.fhirstream.source.capture.HistoryCrawler;
import io.fhirstream.source.capture.SearchCrawler;
import io.fhirstream.source.capture.SnapshotReaders;
import io.fhirstream.source.capture.WindowedSnapshot;
import io.fhirstream.source.export.ExportLoader;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.push.PushEndpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FHIR change source: reads the server's CapabilityStatement, picks a capture mode per type
 * ({@code history} where the server offers type-level {@code _history}, else {@code search}), loads
 * the types without a cursor first (a snapshot by {@code _lastUpdated} windows, or bulk {@code
 * $export}), then polls; in push mode, a rest-hook endpoint publishes what the server notifies
 * while polling goes on slowly as a safety net.
 */
public final class FhirChangeSource implements ChangeSource {
  private static final Logger LOG = LoggerFactory.getLogger(FhirChangeSource.class);

  /**
   * Types whose first loads run side by side, per request of the budget: enough that the readers
   * always find a window to read while a type is planned or finishing, when most are small.
   */
  private static final int FIRST_LOADS_PER_REQUEST = 4;

  private final SourceConfig config;
  private final SourceContext context;
  private ChangeCapture capture;
  private PushEndpoint push;
  private volatile OriginHealth health;

  FhirChangeSource(SourceConfig config, SourceContext context) {
    this.config = config;
    this.context = context;
  }

  /**
   * Probes the server (one set of credentials, so one cached token, serves the probe and every page
   * read), builds a crawler per type, and starts the push endpoint when push mode is on.
   */
  @Override
  public List<String> start() {
    FhirCredentials credentials = config.newCredentials();
    ServerCapabilities.Probe probe =
        ServerCapabilities.probeServer(config, config.mode(), credentials);
    Map<String, CaptureMode> modes = probe.modes();
    FhirHttpClient http =
        config.newHttpClient(Integer.MAX_VALUE, credentials).countRetries(context.metrics());
    health = new OriginHealth(config.newHttpClient(1, credentials), context.clock());
    // One budget of requests for the first loads of every type.
    SnapshotReaders readers = new SnapshotReaders(config.backfillParallelism(), http);
    Map<String, Crawler> crawlers = new LinkedHashMap<>();
    Map<String, Backfill> backfills = new LinkedHashMap<>();
    Set<String> historyTypes = new TreeSet<>();
    modes.forEach(
        (type, mode) -> {
          CrawlTarget target = target(http, type);
          Backfill snapshot = new WindowedSnapshot(target, readers, config.searchPaging());
          if (mode == CaptureMode.HISTORY) {
            crawlers.put(type, new HistoryCrawler(target));
            historyTypes.add(type);
            if (config.backfillBySearch()) {
              backfills.put(type, snapshot);
            }
          } else {
            crawlers.put(type, new SearchCrawler(target, config.searchPaging()));
            backfills.put(type, snapshot);
          }
        });
    EventPublisher publisher = context.publisher("fhirstream-source", config.baseUrl());
    capture =
        new ChangeCapture(
            config.baseUrl().toString(),
            crawlers,
            backfills,
            publisher,
            context.cursors(),
            config.effectivePollInterval(),
            context.metrics());
    int parallelism = config.backfillParallelism();
    capture.typesAtOnce(parallelism, parallelism * FIRST_LOADS_PER_REQUEST);
    if (config.systemHistory() && probe.systemHistory() && historyTypes.size() > 1) {
      // One request per poll for every history-mode type, where each would cost one of its own.
      capture.systemCrawler(
          HistoryCrawler.systemLevel(target(http, "system"), historyTypes), historyTypes);
      LOG.info("source: polling {} types with system-level _history", historyTypes.size());
    }
    if (config.export().isPresent()) {
      ExportLoader loader =
          new ExportLoader(
              config.baseUrl().toString(),
              http,
              config.export().orElseThrow(),
              context.jsonLimits(),
              publisher,
              context.cursors(),
              context.metrics());
      loader.requireServerSupport(config.baseUrl());
      capture.initialLoad(loader);
    }
    if (config.push().enabled()) {
      startPush(credentials, List.copyOf(modes.keySet()), http);
    }
    LOG.info("source: capturing {} from {}", modes, config.baseUrl());
    return List.copyOf(modes.keySet());
  }

  private CrawlTarget target(FhirHttpClient http, String type) {
    return new CrawlTarget(http, type, config.pageSize(), config.safetyLag(), context.clock());
  }

  /** The rest-hook endpoint beside the capture loop, which then polls slowly. */
  private void startPush(FhirCredentials credentials, List<String> types, FhirHttpClient http) {
    // A publisher of its own: the endpoint flushes from its own threads (see PushEndpoint).
    push =
        PushEndpoint.builder()
            .config(config.push())
            .resourceTypes(types)
            .pollingDelay(
                PollingDelay.measure(http, types.get(0), config.pollInterval()).orElse(null))
            .jsonLimits(context.jsonLimits())
            .publisher(context.publisher("fhirstream-push", config.baseUrl()))
            .fhirClient(config.newHttpClient(3, credentials))
            .pollNow(capture::pollNow)
            .metrics(context.metrics())
            .start();
  }

  @Override
  public void run() {
    capture.run();
  }

  @Override
  public void stop() {
    if (capture != null) {
      capture.stop();
    }
  }

  @Override
  public Optional<Instant> publishedUpTo(String resourceType) {
    return capture == null ? Optional.empty() : Optional.ofNullable(capture.cursor(resourceType));
  }

  @Override
  public Optional<String> originProblem() {
    OriginHealth current = health;
    return current == null ? Optional.of("not started") : current.problem();
  }

  /** The capture loop, once started. */
  public ChangeCapture capture() {
    return capture;
  }

  /** The push endpoint, or null when push mode is off. */
  public PushEndpoint push() {
    return push;
  }

  @Override
  public void close() {
    if (push != null) {
      push.close();
    }
  }
}

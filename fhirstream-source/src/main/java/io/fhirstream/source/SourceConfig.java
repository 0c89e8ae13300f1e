package io.fhirstream.source;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.config.Validators;
import io.fhirstream.api.source.SourceContext;
import io.fhirstream.source.auth.AuthConfig;
import io.fhirstream.source.auth.AuthMode;
import io.fhirstream.source.capture.SearchPaging;
import io.fhirstream.source.export.ExportConfig;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.HttpUrls;
import io.fhirstream.source.push.FhirWriter;
import io.fhirstream.source.push.PushConfig;
import io.fhirstream.source.push.SubscriptionSetup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of FHIR change capture, declared once in {@link #DEFINITION}.
 *
 * @param baseUrl the FHIR server's base URL, without a trailing slash
 * @param resourceTypes the types to capture, each with its own topic and cursor; {@link #ALL_TYPES}
 *     alone for every type the server's CapabilityStatement offers to capture
 * @param mode a forced capture mode, or empty to choose from the CapabilityStatement
 * @param backfillBySearch whether a history-mode type's first load is a snapshot of current
 *     resources read by {@code _lastUpdated} search (streamed, constant memory) rather than its
 *     whole history
 * @param backfillParallelism how many requests the source has out at once: the windows of every
 *     type's first load together, and type-level polls
 * @param searchPaging how the pages of a {@code _lastUpdated} search are followed
 * @param systemHistory whether to poll the history-mode types with one system-level {@code
 *     _history} crawl where the server offers it
 * @param pollInterval the pause between polls once capture has caught up
 * @param pageSize the {@code _count} asked for on each page
 * @param safetyLag how far behind the server's clock a window ends, so that writes still committing
 *     are read in the next window rather than skipped
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one page, after which the read is retried
 * @param backoff retry policy for connect errors, timeouts, 429 and 5xx
 * @param auth how to authenticate to the FHIR server; credentials go to the base URL's origin only
 * @param push push mode: the rest-hook notification endpoint, and its safety-net poll interval
 * @param export the bulk {@code $export} first load, present when {@code source.backfill=export}
 */
public record SourceConfig(
    URI baseUrl,
    List<String> resourceTypes,
    Optional<CaptureMode> mode,
    boolean backfillBySearch,
    int backfillParallelism,
    SearchPaging searchPaging,
    boolean systemHistory,
    Duration pollInterval,
    int pageSize,
    Duration safetyLag,
    Duration connectTimeout,
    Duration requestTimeout,
    Backoff backoff,
    AuthConfig auth,
    PushConfig push,
    Optional<ExportConfig> export) {

  /** {@code source.resource-types=*}: every type the server lists with history-type or search. */
  public static final String ALL_TYPES = SourceContext.ALL_TYPES;

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Source: FHIR change capture")
          .define(
              "source.fhir.base-url",
              ConfigType.STRING,
              null,
              value ->
                  HttpUrls.problemWithoutCredentials(
                      (String) value, "configure authentication separately"),
              "Base URL of the FHIR R4 server, e.g. https://fhir.example.org/fhir.")
          .define(
              "source.mode",
              ConfigType.STRING,
              "auto",
              Validators.oneOf(List.of("auto", "history", "search")),
              "auto picks history when the server supports type-level _history, else search"
                  + " (which cannot see deletions).")
          .define(
              "source.backfill",
              ConfigType.STRING,
              "search",
              Validators.oneOf(List.of("search", "history", "export")),
              "First load when there is no cursor yet. search: a snapshot of the current resources,"
                  + " oldest first, streamed page by page (constant memory; resources deleted"
                  + " before the first start are not loaded), then history from the snapshot's"
                  + " time. history: every version ever written, held in memory as one window."
                  + " export: one bulk $export of every type without a cursor (NDJSON files,"
                  + " streamed; resumable), then history or search from the export's"
                  + " transactionTime; the server must support $export (see source.export.*).")
          .define(
              "source.backfill.parallelism",
              ConfigType.INT,
              "4",
              Validators.between(1, 16),
              "How many requests the source has out at once: the _lastUpdated windows of every"
                  + " type's first load together (types load side by side, sharing this budget),"
                  + " and type-level polls. A FHIR server serves a few readers of disjoint windows"
                  + " faster than one; more than its database has cores only adds load. Halved"
                  + " while the server answers 429, grown back gradually.")
          .define(
              "source.search.paging",
              ConfigType.STRING,
              "auto",
              Validators.oneOf(List.of("auto", "server", "keyset")),
              "How a _lastUpdated search is paged. server: the server's next links, one read per"
                  + " resource; right only where the server pages over the result list of the"
                  + " first request (HAPI does). keyset: each page re-queried from the newest"
                  + " lastUpdated seen; right on any server, but the resources sharing that"
                  + " timestamp (a transaction's) are read again, though never published twice."
                  + " auto: server where the links are HAPI's _getpages, else keyset.")
          .define(
              "source.history.system-level",
              ConfigType.BOOLEAN,
              "true",
              "Where the server offers system-level _history (history-system), poll every"
                  + " history-mode type with one crawl of it: one request per poll however many"
                  + " types, where type-level history costs one per type. It also reads the"
                  + " changes of types not captured, and drops them.")
          .define(
              "source.poll-interval",
              ConfigType.DURATION,
              "1s",
              Validators.POSITIVE_DURATION,
              "Pause between polls once capture has caught up.")
          .define(
              "source.page-size",
              ConfigType.INT,
              "500",
              Validators.atLeast(1),
              "_count asked for on each page of history or search results.")
          .define(
              "source.safety-lag",
              ConfigType.DURATION,
              "1s",
              "The cursor stays this far behind the server's clock, so writes still committing"
                  + " are re-read, never skipped. Changes are still published as soon as seen.")
          .define(
              "source.http.connect-timeout",
              ConfigType.DURATION,
              "10s",
              Validators.POSITIVE_DURATION,
              "TCP connect timeout for the FHIR server.")
          .define(
              "source.http.request-timeout",
              ConfigType.DURATION,
              "60s",
              Validators.POSITIVE_DURATION,
              "Time allowed for one page; a stalled page is retried. While an $export file"
                  + " downloads, the longest wait for its next bytes.")
          .define(
              "source.retry.initial-backoff",
              ConfigType.DURATION,
              "500ms",
              Validators.POSITIVE_DURATION,
              "First retry delay after a connect error, timeout, 429 or 5xx; it doubles per try.")
          .define(
              "source.retry.max-backoff",
              ConfigType.DURATION,
              "30s",
              Validators.POSITIVE_DURATION,
              "Longest retry delay, also the cap on a server's Retry-After.")
          .include(AuthConfig.DEFINITION)
          .include(PushConfig.DEFINITION)
          .include(ExportConfig.DEFINITION)
          .build();

  /**
   * Reads the validated settings.
   *
   * @param resourceTypes the pipeline's {@code source.resource-types}, validated by the runtime
   */
  public static SourceConfig from(Config config, List<String> resourceTypes) {
    String mode = config.getString("source.mode");
    return new SourceConfig(
        URI.create(stripSlash(config.getString("source.fhir.base-url"))),
        List.copyOf(resourceTypes),
        mode.equals("auto")
            ? Optional.empty()
            : Optional.of(CaptureMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT))),
        config.getString("source.backfill").equals("search"),
        config.getInt("source.backfill.parallelism"),
        SearchPaging.valueOf(
            config.getString("source.search.paging").toUpperCase(java.util.Locale.ROOT)),
        config.getBoolean("source.history.system-level"),
        config.getDuration("source.poll-interval"),
        config.getInt("source.page-size"),
        config.getDuration("source.safety-lag"),
        config.getDuration("source.http.connect-timeout"),
        config.getDuration("source.http.request-timeout"),
        new Backoff(
            config.getDuration("source.retry.initial-backoff"),
            config.getDuration("source.retry.max-backoff")),
        AuthConfig.from(config),
        PushConfig.from(config),
        config.getString("source.backfill").equals("export")
            ? Optional.of(ExportConfig.from(config))
            : Optional.empty());
  }

  /** The same settings polling every {@code interval}, e.g. a slow safety net beside a feed. */
  public SourceConfig withPollInterval(Duration interval) {
    return new SourceConfig(
        baseUrl,
        resourceTypes,
        mode,
        backfillBySearch,
        backfillParallelism,
        searchPaging,
        systemHistory,
        interval,
        pageSize,
        safetyLag,
        connectTimeout,
        requestTimeout,
        backoff,
        auth,
        push,
        export);
  }

  /** The pause between polls: the safety-net interval while push mode is on. */
  public Duration effectivePollInterval() {
    return push.enabled() ? push.pollInterval() : pollInterval;
  }

  /** Whether the types are {@code *}, to be resolved from the server's CapabilityStatement. */
  public boolean allTypes() {
    return resourceTypes.equals(List.of(ALL_TYPES));
  }

  /** The static bearer token, when {@code source.fhir.auth} is {@code bearer}. */
  public Optional<Secret> bearerToken() {
    return auth.mode() == AuthMode.BEARER ? auth.bearerToken() : Optional.empty();
  }

  /**
   * New credentials for the FHIR server; make one per process and share it between the
   * CapabilityStatement probe and the page reader, so they share one cached token.
   */
  public FhirCredentials newCredentials() {
    return auth.credentials(baseUrl, connectTimeout, requestTimeout);
  }

  /**
   * A client of the FHIR server with these settings' timeouts and retries.
   *
   * @param maxAttempts attempts per request; {@code Integer.MAX_VALUE} for a poller that waits out
   *     an outage
   */
  public FhirHttpClient newHttpClient(int maxAttempts, FhirCredentials credentials) {
    return new FhirHttpClient(
        baseUrl, connectTimeout, requestTimeout, backoff, maxAttempts, credentials);
  }

  /**
   * The Subscriptions that make the server push this source's types to a notification endpoint,
   * created and updated with {@code credentials} on the base URL's origin only.
   */
  public SubscriptionSetup subscriptionSetup(URI endpoint, FhirCredentials credentials) {
    return new SubscriptionSetup(
        baseUrl,
        resourceTypes,
        push,
        endpoint,
        newHttpClient(5, credentials),
        new FhirWriter(baseUrl, connectTimeout, requestTimeout, credentials));
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

package io.fhirstream.demo.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process FHIR R4 server for demos and tests: HAPI's {@link RestfulServer} on embedded Jetty,
 * bound to 127.0.0.1, serving the configured resource types from an in-memory {@link ResourceStore}
 * that versions every write the way HAPI JPA does.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#build()} → (optionally seed {@link #store()}) →
 * {@link #start()} → {@link #baseUrl()}… → {@link #close()}. The store lives as long as this
 * object, not as long as the HTTP listener; nothing is persisted.
 *
 * <p>Interactions per type: create, update (also as create), delete, read, vread, {@code _history}
 * at type and instance level with {@code _since} and {@code _count} (default 100, at most 1000),
 * and search by {@code _id} and {@code _lastUpdated} with {@code _sort=_lastUpdated}. {@code
 * /metadata} is HAPI's generated CapabilityStatement.
 *
 * <p>Bulk {@code $export} (system and Patient level, asynchronous, NDJSON) is served by {@link
 * BulkExportServlet}, its jobs shaped by {@link ExportOptions}.
 *
 * <p>R4 Subscriptions with criteria {@code {Type}?} and a rest-hook channel make it notify writes
 * asynchronously like HAPI JPA does ({@link RestHookNotifier}, {@link SubscriptionProvider}).
 *
 * <p>Type-history and {@code _lastUpdated} search pages in JSON are written by the {@link
 * BundleSplicer}, which splices each stored version in verbatim instead of having HAPI parse and
 * re-encode it, so the server keeps up with the pipeline it feeds; the rest is HAPI's encoder.
 */
public final class DemoFhirServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoFhirServer.class);

  /**
   * Threads delivering rest-hook notifications (each waits for its endpoint's answer, which comes
   * after a Kafka flush). With 32 the sender, not fhirstream, capped a 1,000/s benchmark on a busy
   * 2-core machine; a production server's delivery pool is sized the same way.
   */
  private static final int REST_HOOK_THREADS = 128;

  /** Path under which the FHIR endpoint is mounted. */
  public static final String CONTEXT_PATH = "/fhir";

  private final ResourceStore store;
  private final int requestedPort;
  private final int pageCacheSize;
  private final BundleSplicer splicer;
  private final BearerTokenFilter tokenFilter; // null when open
  private final TokenRequirements tokens; // null when open
  private final SubscriptionProvider subscriptions;
  private final ExportJobs exports;
  private volatile RestHookNotifier notifier; // null while stopped
  private Server jetty; // guarded by this
  private String baseUrl; // guarded by this

  private DemoFhirServer(Builder builder) {
    this.store = new ResourceStore(FhirContext.forR4Cached(), builder.types, builder.clock);
    this.requestedPort = builder.port;
    this.pageCacheSize = builder.pageCacheSize;
    this.splicer = new BundleSplicer(store.codec());
    this.tokens = builder.tokens;
    this.tokenFilter = tokens == null ? null : new BearerTokenFilter(tokens);
    this.subscriptions = new SubscriptionProvider(store);
    this.exports = new ExportJobs(store, builder.export, builder.clock);
    store.onWrite(
        version -> {
          RestHookNotifier current = notifier;
          if (current != null) {
            current.written(version);
          }
        });
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The store behind the server, to seed or inspect it without HTTP; usable before {@link
   * #start()}.
   */
  public ResourceStore store() {
    return store;
  }

  /**
   * Starts listening on 127.0.0.1; returns once requests are served.
   *
   * @throws IllegalStateException if already started, or if Jetty cannot start (e.g. the port is
   *     taken: use port 0 for a free one)
   */
  public synchronized DemoFhirServer start() {
    if (jetty != null) {
      throw new IllegalStateException("Demo FHIR server already started at " + baseUrl);
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(requestedPort);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder("fhir", restfulServer());
    // Initialise HAPI (scan providers) at start, so a broken provider fails start(), not a request.
    holder.setInitOrder(0);
    context.addServlet(holder, CONTEXT_PATH + "/*");
    BulkExportServlet export = new BulkExportServlet(store, exports, tokens != null);
    for (String path :
        !exports.options().enabled()
            ? List.<String>of()
            : List.of(
                "/$export",
                "/Patient/$export",
                BulkExportServlet.STATUS + "*",
                BulkExportServlet.FILE + "*")) {
      context.addServlet(new ServletHolder(export), CONTEXT_PATH + path);
    }
    if (tokenFilter != null) {
      context.addFilter(
          new FilterHolder(tokenFilter), CONTEXT_PATH + "/*", EnumSet.of(DispatcherType.REQUEST));
      tokens
          .tokenEndpoint()
          .ifPresent(
              endpoint ->
                  context.addServlet(
                      new ServletHolder(new SmartConfigurationServlet(endpoint)),
                      CONTEXT_PATH + "/.well-known/smart-configuration"));
    }
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietlyAfterFailedStart(server, e);
      throw new IllegalStateException(
          "Could not start the demo FHIR server on 127.0.0.1:" + requestedPort + ": " + e, e);
    }
    jetty = server;
    notifier = new RestHookNotifier(subscriptions::hooks, REST_HOOK_THREADS);
    baseUrl = "http://127.0.0.1:" + connector.getLocalPort() + CONTEXT_PATH;
    log.info(
        "Demo FHIR server listening at {} serving {}{}",
        baseUrl,
        store.resourceTypes(),
        tokens == null ? "" : " to bearer tokens of " + tokens.issuer() + " only");
    return this;
  }

  /**
   * Protected mode only: from now on refuses tokens issued before {@code instant}, as a server that
   * revoked its sessions (e.g. after rotating credentials) does; clients must get new ones.
   *
   * @throws IllegalStateException when the server was built without {@link Builder#requireTokens}
   */
  public void revokeTokensIssuedBefore(Instant instant) {
    if (tokenFilter == null) {
      throw new IllegalStateException("the demo FHIR server is open: build it with requireTokens");
    }
    tokenFilter.revokeTokensIssuedBefore(instant);
  }

  /** Protected mode: how many requests were refused with 401 so far (0 when open). */
  public long refusedRequests() {
    return tokenFilter == null ? 0 : tokenFilter.refused();
  }

  /** How many {@code $export} kick-offs were accepted so far. */
  public long exportKickOffs() {
    return exports.kickOffs();
  }

  /** Forgets every {@code $export} job and its files, as a server whose jobs expired. */
  public void expireExportJobs() {
    exports.expireAll();
  }

  /** Rest-hook notifications delivered so far (answered 2xx); 0 while stopped. */
  public long restHooksDelivered() {
    RestHookNotifier current = notifier;
    return current == null ? 0 : current.delivered();
  }

  /** Rest-hook notification attempts answered 401 or 403 so far; 0 while stopped. */
  public long restHooksRefused() {
    RestHookNotifier current = notifier;
    return current == null ? 0 : current.refused();
  }

  /** Rest-hook notifications dropped after their last retry so far; 0 while stopped. */
  public long restHooksDropped() {
    RestHookNotifier current = notifier;
    return current == null ? 0 : current.dropped();
  }

  /** Writes history and search bundles unless switched off; tests compare it with HAPI's path. */
  BundleSplicer bundleSplicer() {
    return splicer;
  }

  /** The FHIR base URL, e.g. {@code http://127.0.0.1:41234/fhir}. */
  public synchronized String baseUrl() {
    if (baseUrl == null) {
      throw new IllegalStateException("Demo FHIR server not started: call start() first");
    }
    return baseUrl;
  }

  /**
   * Stops the listener; the store keeps its data. Idempotent.
   *
   * @throws IllegalStateException if Jetty fails to stop
   */
  @Override
  public synchronized void close() {
    if (jetty == null) {
      return;
    }
    Server server = jetty;
    String url = baseUrl;
    jetty = null;
    baseUrl = null;
    if (notifier != null) {
      notifier.close();
      notifier = null;
    }
    try {
      server.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Could not stop the demo FHIR server at " + url, e);
    }
    log.info("Demo FHIR server at {} stopped", url);
  }

  private static void stopQuietlyAfterFailedStart(Server server, Exception cause) {
    try {
      server.stop();
    } catch (Exception stopFailure) {
      cause.addSuppressed(stopFailure); // reported with the start failure, not lost
    }
  }

  private RestfulServer restfulServer() {
    RestfulServer server = new RestfulServer(store.codec().context());
    server.setServerName("fhirstream demo FHIR server");
    List<IResourceProvider> providers = new ArrayList<>();
    for (String type : store.resourceTypes()) {
      providers.add(new VersionedResourceProvider(store, type));
    }
    if (!store.resourceTypes().contains("Subscription")) { // served as data instead
      providers.add(subscriptions);
    }
    server.setResourceProviders(providers);
    ReplayingPagingProvider paging =
        new ReplayingPagingProvider(store.typeStores(), store.codec(), pageCacheSize);
    paging.setDefaultPageSize(100);
    paging.setMaximumPageSize(1000);
    server.setPagingProvider(paging);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.registerInterceptor(new HistoryBundleInterceptor(store));
    server.registerInterceptor(splicer);
    if (exports.options().enabled()) {
      server.registerInterceptor(new ExportCapability());
    }
    return server;
  }

  /** Builds a {@link DemoFhirServer}; {@link #resourceTypes} is required. */
  public static final class Builder {
    private final List<String> types = new ArrayList<>();
    private int port;
    private Clock clock = Clock.systemUTC();
    private int pageCacheSize = 100;
    private TokenRequirements tokens;
    private ExportOptions export = ExportOptions.defaults();

    private Builder() {}

    /**
     * How {@code $export} jobs behave (file size, duration, expiry…); see {@link ExportOptions}.
     */
    public Builder export(ExportOptions options) {
      this.export = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Protects every FHIR endpoint: requests need a valid bearer token (see {@link
     * TokenRequirements}), else 401. Without this call the server is open.
     */
    public Builder requireTokens(TokenRequirements tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /** The R4 resource types to serve, e.g. {@code "Patient", "Observation"}. */
    public Builder resourceTypes(String... types) {
      return resourceTypes(List.of(types));
    }

    public Builder resourceTypes(List<String> types) {
      this.types.addAll(types);
      return this;
    }

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one, see {@link #baseUrl()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The clock write timestamps come from (they still never repeat or go back). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How many recent results to keep for paging (default 100). Evicted history and {@code
     * _lastUpdated} results are rebuilt from their cursor; evicted {@code _id} and instance-history
     * results answer 410 Gone, as an expired search does on HAPI JPA.
     */
    public Builder pageCacheSize(int size) {
      this.pageCacheSize = size;
      return this;
    }

    public DemoFhirServer build() {
      if (types.isEmpty()) {
        throw new IllegalStateException(
            "No resource types to serve: call resourceTypes(\"Patient\", ...) before build()");
      }
      Set<String> known = FhirContext.forR4Cached().getResourceTypes();
      Set<String> unique = new LinkedHashSet<>();
      for (String type : types) {
        if (!known.contains(type)) {
          throw new IllegalArgumentException(
              "'"
                  + type
                  + "' is not a FHIR R4 resource type: use names such as Patient or Observation");
        }
        if (!unique.add(type)) {
          throw new IllegalArgumentException("Resource type '" + type + "' is listed twice");
        }
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) to 65535; got " + port);
      }
      if (pageCacheSize < 1) {
        throw new IllegalArgumentException(
            "pageCacheSize must be at least 1; got " + pageCacheSize);
      }
      return new DemoFhirServer(this);
    }
  }
}

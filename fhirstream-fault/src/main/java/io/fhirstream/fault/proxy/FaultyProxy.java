package io.fhirstream.fault.proxy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reverse proxy on 127.0.0.1 in front of a FHIR server that injects faults into the reads a
 * change capture makes: GETs of {@code _history}, searches of a resource type and {@code _getpages}
 * paging links. Writes, reads by id and {@code /metadata} always pass untouched, so a workload can
 * write through the proxy or around it.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#build()} → {@link #start()} → {@link
 * #baseUri()}, {@link #setFaults}, {@link #stats()}… → {@link #close()}.
 *
 * <p>The proxy keeps the request path: with upstream {@code http://127.0.0.1:8080/fhir}, the FHIR
 * base to use is {@link #baseUri()} = {@code http://127.0.0.1:P/fhir}. The client's {@code Host}
 * header is forwarded, so the server's paging links ({@code next}) point at the proxy.
 *
 * <p>Which requests get a fault comes from one {@link java.util.Random} seeded by {@link
 * Builder#seed}, drawn once per faultable request: the same seed and the same sequence of requests
 * give the same faults.
 *
 * <p>Logging: each injected fault at DEBUG with method and path only (never the query or a body).
 * Keep {@code org.eclipse.jetty.proxy} above DEBUG: at DEBUG Jetty logs the bytes it forwards.
 */
public final class FaultyProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultyProxy.class);
  private static final Duration IDLE_TIMEOUT = FaultPlan.MAX_STALL.plusMinutes(1);

  private final URI upstream;
  private final int requestedPort;
  private final FaultCounters counters = new FaultCounters();
  private final FaultInjectingHandler handler;
  private Server jetty; // guarded by this
  private URI baseUri; // guarded by this
  private boolean closed; // guarded by this

  private FaultyProxy(Builder builder) {
    this.upstream = builder.upstream;
    this.requestedPort = builder.port;
    this.handler =
        new FaultInjectingHandler(
            HttpURI.from(builder.upstream),
            builder.faults,
            builder.seed,
            counters,
            Clock.systemUTC());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts listening on 127.0.0.1; returns once requests are served.
   *
   * @throws IllegalStateException if already started or closed, or if Jetty cannot start (e.g. the
   *     port is taken: use port 0 for a free one)
   */
  public synchronized FaultyProxy start() {
    if (jetty != null) {
      throw new IllegalStateException("Fault proxy already started at " + baseUri);
    }
    if (closed) {
      throw new IllegalStateException("Fault proxy closed: build a new one to start again");
    }
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("fault-proxy");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    // Jetty fails a request whose connection idles past this, which a stall must not trigger.
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setPort(requestedPort);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      stopAfterFailedStart(server, e);
      throw new IllegalStateException(
          "Could not start the fault proxy on 127.0.0.1:" + requestedPort + ": " + e, e);
    }
    jetty = server;
    String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
    baseUri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    log.info("Fault proxy listening at {} in front of {}", baseUri, upstream);
    return this;
  }

  /**
   * The URL to use instead of the upstream's: {@code http://127.0.0.1:<port>} followed by the
   * upstream's path, e.g. {@code http://127.0.0.1:41234/fhir}.
   *
   * @throws IllegalStateException if not started
   */
  public synchronized URI baseUri() {
    if (baseUri == null) {
      throw new IllegalStateException("Fault proxy not started: call start() first");
    }
    return baseUri;
  }

  /** The server the proxy forwards to. */
  public URI upstream() {
    return upstream;
  }

  /** Replaces the fault plan; requests arriving from now on draw from it. Thread-safe. */
  public void setFaults(FaultPlan faults) {
    handler.setPlan(faults);
    log.debug("Fault plan now {}", faults);
  }

  /** The current fault plan. */
  public FaultPlan faults() {
    return handler.plan();
  }

  /** What the proxy has done since it was built. */
  public FaultStats stats() {
    return counters.snapshot();
  }

  /**
   * Stops listening and drops open connections, including stalled requests. Idempotent.
   *
   * @throws IllegalStateException if Jetty fails to stop
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (jetty == null) {
      return;
    }
    Server server = jetty;
    URI url = baseUri;
    jetty = null;
    baseUri = null;
    try {
      server.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Could not stop the fault proxy at " + url, e);
    }
    log.info("Fault proxy at {} stopped; {}", url, counters.snapshot());
  }

  private static void stopAfterFailedStart(Server server, Exception cause) {
    try {
      server.stop();
    } catch (Exception stopFailure) {
      cause.addSuppressed(stopFailure);
    }
  }

  /** Builds a {@link FaultyProxy}; {@link #upstream} is required. */
  public static final class Builder {
    private URI upstream;
    private int port;
    private FaultPlan faults = FaultPlan.none();
    private long seed;

    private Builder() {}

    /**
     * The server to forward to: {@code http://host:port}, optionally with the FHIR base path, e.g.
     * {@code http://127.0.0.1:8080/fhir}.
     */
    public Builder upstream(URI upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      return this;
    }

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one, see {@link #baseUri()}. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The initial fault plan (default {@link FaultPlan#none()}: a transparent proxy). */
    public Builder faults(FaultPlan faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** Seeds the fault draws (default 0), so a run can be reproduced. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @throws IllegalStateException if no upstream was given
     * @throws IllegalArgumentException if the upstream is not a plain http URL or the port is out
     *     of range
     */
    public FaultyProxy build() {
      if (upstream == null) {
        throw new IllegalStateException(
            "No upstream: call upstream(URI.create(\"http://127.0.0.1:8080/fhir\")) before"
                + " build()");
      }
      if (!"http".equalsIgnoreCase(upstream.getScheme()) || upstream.getHost() == null) {
        throw new IllegalArgumentException(
            "upstream must be an http URL with a host, e.g. http://127.0.0.1:8080/fhir; got "
                + upstream);
      }
      if (upstream.getRawQuery() != null || upstream.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "upstream must be a base URL without query or fragment; got " + upstream);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 (any free port) to 65535; got " + port);
      }
      return new FaultyProxy(this);
    }
  }
}

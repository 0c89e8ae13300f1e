package io.fhirstream.source.push;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.source.http.FhirHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.ObjLongConsumer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push-mode HTTP endpoint (embedded Jetty) that receives FHIR R4 rest-hook notifications and
 * publishes each change, answering 200 only once the hub acknowledged it.
 *
 * <p>Lifecycle: {@link #builder()} → {@link Builder#start()} (bound and serving when it returns) →
 * {@link #port()} → {@link #close()}. Push complements polling, it does not replace it: run the
 * capture loop beside it at {@link PushConfig#pollInterval()}, which catches what servers do not
 * push (deletions, by default) and what they gave up retrying; the store's version guard makes the
 * duplicates harmless.
 */
public final class PushEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushEndpoint.class);

  /** How many notifications are timed before the log says whether push or polling is faster. */
  public static final int DELAY_SAMPLE = PushDelay.SAMPLE;

  private final Server jetty;
  private final NotificationHandler handler;
  private final AckingPublisher publisher;
  private final int port;
  private final URI url;

  private PushEndpoint(
      Server jetty, NotificationHandler handler, AckingPublisher publisher, int port, URI url) {
    this.jetty = jetty;
    this.handler = handler;
    this.publisher = publisher;
    this.port = port;
    this.url = url;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TCP port bound (the configured one, or the free one picked for 0). */
  public int port() {
    return port;
  }

  /**
   * Observes each change a notification brings, before it is published, with the {@link
   * System#nanoTime()} its request arrived: for latency measurement. Called on the request's
   * thread; must be quick and must not throw.
   */
  public void onArrival(ObjLongConsumer<ChangeEvent> listener) {
    handler.onArrival(listener);
  }

  /** The URL to write into Subscriptions: the public URL, else the bound address. */
  public URI url() {
    return url;
  }

  /** Stops accepting notifications, finishes those being published, then stops. Idempotent. */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("stopping the push endpoint failed: {}", e.getMessage());
    }
    publisher.close();
  }

  /** Builds and starts a {@link PushEndpoint}; every setter except the metrics is required. */
  public static final class Builder {
    private PushConfig config;
    private List<String> resourceTypes;
    private JsonLimits limits = JsonLimits.DEFAULT;
    private EventPublisher publisher;
    private FhirHttpClient fhir;
    private Runnable pollNow;
    private Duration ackTimeout = Duration.ofSeconds(30);
    private Duration pollingDelay;
    private MeterRegistry metrics = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private Builder() {}

    /** Address, port, path and secret; push mode must be enabled in it. */
    public Builder config(PushConfig config) {
      this.config = config;
      return this;
    }

    /** The captured types: notifications for any other are refused. */
    public Builder resourceTypes(List<String> types) {
      this.resourceTypes = List.copyOf(types);
      return this;
    }

    /** Bounds on notification bodies (default {@link JsonLimits#DEFAULT}). */
    public Builder jsonLimits(JsonLimits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /**
     * Where changes go (same codec and topics as polling). Give the endpoint a publisher of its own
     * (its own producer): it flushes from its own thread, and a shared one would mix up whose send
     * failed.
     */
    public Builder publisher(EventPublisher publisher) {
      this.publisher = publisher;
      return this;
    }

    /**
     * Reads resources for id-only notifications; give it few attempts, since the FHIR server waits
     * for the answer.
     */
    public Builder fhirClient(FhirHttpClient fhir) {
      this.fhir = fhir;
      return this;
    }

    /** Called for a notification that names no resource, e.g. {@code ChangeCapture::pollNow}. */
    public Builder pollNow(Runnable pollNow) {
      this.pollNow = pollNow;
      return this;
    }

    /** How long a notification waits for the hub's acknowledgement before answering 503. */
    public Builder ackTimeout(Duration timeout) {
      this.ackTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * What polling would take to deliver a change from this server (half the poll interval plus a
     * round trip), to tell in the log whether push is faster here; unset for no verdict.
     */
    public Builder pollingDelay(Duration delay) {
      this.pollingDelay = delay;
      return this;
    }

    public Builder metrics(MeterRegistry metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when a required part is missing
     * @throws PipelineException when the address cannot be bound
     */
    public PushEndpoint start() {
      require(config != null && config.enabled(), "config(PushConfig) with push mode enabled");
      require(resourceTypes != null && !resourceTypes.isEmpty(), "resourceTypes(...)");
      require(publisher != null, "publisher(EventPublisher)");
      require(fhir != null, "fhirClient(FhirHttpClient)");
      require(pollNow != null, "pollNow(Runnable)");
      QueuedThreadPool threads = new QueuedThreadPool(200, 4);
      threads.setName("fhirstream-push");
      Server server = new Server(threads);
      ServerConnector connector = new ServerConnector(server);
      connector.setHost(config.bindAddress());
      connector.setPort(config.port());
      server.addConnector(connector);
      AckingPublisher acking = new AckingPublisher(publisher);
      NotificationHandler handler =
          new NotificationHandler(
              config,
              resourceTypes,
              limits,
              new LatestVersionReader(fhir),
              acking,
              pollNow,
              ackTimeout,
              metrics,
              new PushDelay(pollingDelay, java.time.Clock.systemUTC(), metrics));
      server.setHandler(handler);
      try {
        server.start();
      } catch (Exception e) {
        try {
          server.stop();
        } catch (Exception stop) {
          e.addSuppressed(stop);
        }
        acking.close();
        throw new PipelineException(
            "the push endpoint could not listen on "
                + config.bindAddress()
                + ":"
                + config.port()
                + " ("
                + e.getMessage()
                + "); set source.push.bind-address and source.push.port to a free address",
            e);
      }
      int bound = connector.getLocalPort();
      URI url = config.endpointUrl(bound);
      LOG.info(
          "push: receiving rest-hook notifications on {}:{}{} (Subscriptions point at {})",
          config.bindAddress(),
          bound,
          config.path(),
          url);
      return new PushEndpoint(server, handler, acking, bound, url);
    }

    private static void require(boolean present, String what) {
      if (!present) {
        throw new IllegalStateException("PushEndpoint.builder() needs " + what + " before start()");
      }
    }
  }
}

package io.fhirstream.ops;

import io.fhirstream.ops.internal.DashboardApiServlet;
import io.fhirstream.ops.internal.DashboardModel;
import io.fhirstream.ops.internal.DashboardService;
import io.fhirstream.ops.internal.DashboardStreamServlet;
import io.fhirstream.ops.internal.HealthEvaluator;
import io.fhirstream.ops.internal.HealthServlet;
import io.fhirstream.ops.internal.MetricsServlet;
import io.fhirstream.ops.internal.PrometheusBinding;
import io.fhirstream.ops.internal.SecurityHeaders;
import io.fhirstream.ops.internal.StaticServlet;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP endpoint (embedded Jetty): {@code GET /metrics} (Prometheus), {@code GET
 * /health/live} and {@code GET /health/ready} (Kubernetes probes: 200 or 503 with a JSON body),
 * {@code GET /} (the live dashboard), {@code GET /api/dashboard} (its snapshot as JSON) and {@code
 * GET /api/dashboard/stream} (the snapshot every second as Server-Sent Events).
 *
 * <p>Lifecycle: {@link #builder()} → {@link OperatorEndpointBuilder#start()} (bound and serving
 * when it returns) → {@link #url()} → {@link #close()}. It binds 127.0.0.1 unless told otherwise:
 * the endpoint has no authentication, so exposing it is the deployment's explicit choice.
 */
public final class OperatorEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorEndpoint.class);

  private final Server jetty;
  private final DashboardService dashboard;
  private final HealthEvaluator health;
  private final PrometheusBinding prometheus;
  private final URI url;

  private OperatorEndpoint(
      Server jetty,
      DashboardService dashboard,
      HealthEvaluator health,
      PrometheusBinding prometheus,
      URI url) {
    this.jetty = jetty;
    this.dashboard = dashboard;
    this.health = health;
    this.prometheus = prometheus;
    this.url = url;
  }

  public static OperatorEndpointBuilder builder() {
    return new OperatorEndpointBuilder();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9464/}: the dashboard; the rest is below it. */
  public URI url() {
    return url;
  }

  /** The TCP port bound (the configured one, or the free one picked for 0). */
  public int port() {
    return url.getPort();
  }

  /**
   * Stops serving and its threads; detaches the Prometheus registry it added, if any. Idempotent.
   */
  @Override
  public void close() {
    dashboard.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("stopping the operator endpoint failed: {}", e.getMessage());
    }
    health.close();
    prometheus.close();
  }

  /** Called by the builder once it has checked its parts. */
  static OperatorEndpoint start(OperatorEndpointBuilder config) {
    PrometheusBinding prometheus = PrometheusBinding.of(config.metrics(), config.clock());
    HealthEvaluator health =
        new HealthEvaluator(
            config.livenessChecks(),
            config.readinessChecks(),
            config.healthTimeout(),
            config.healthCacheFor(),
            config.clock());
    DashboardModel model =
        new DashboardModel(
            prometheus.registry(),
            config.dashboardSource(),
            config.clock(),
            DashboardModel.Settings.DEFAULT);
    DashboardService dashboard =
        new DashboardService(model, config.dashboardInterval(), config.maxDashboardViewers());

    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("fhirstream-ops");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.bindAddress());
    connector.setPort(config.port());
    server.addConnector(connector);
    server.setHandler(handlers(prometheus, health, dashboard));
    try {
      dashboard.start();
      server.start();
    } catch (Exception e) {
      stopQuietly(server, e);
      dashboard.close();
      health.close();
      prometheus.close();
      String message =
          "the operator endpoint could not listen on "
              + config.bindAddress()
              + ":"
              + config.port()
              + " ("
              + e.getMessage()
              + "); choose a free port, or 0 for any";
      if (e instanceof IOException io) {
        throw new UncheckedIOException(message, io);
      }
      throw new IllegalStateException(message, e);
    }
    URI url = urlOf(config.bindAddress(), connector.getLocalPort());
    LOG.info(
        "operator endpoint: {} (dashboard), {}metrics, {}health/live, {}health/ready",
        url,
        url,
        url,
        url);
    return new OperatorEndpoint(server, dashboard, health, prometheus, url);
  }

  private static ServletContextHandler handlers(
      PrometheusBinding prometheus, HealthEvaluator health, DashboardService dashboard) {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(
        new FilterHolder(new SecurityHeaders()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new MetricsServlet(prometheus.registry())), "/metrics");
    context.addServlet(new ServletHolder(new HealthServlet(health::live)), "/health/live");
    context.addServlet(new ServletHolder(new HealthServlet(health::ready)), "/health/ready");
    context.addServlet(new ServletHolder(new DashboardApiServlet(dashboard)), "/api/dashboard");
    ServletHolder stream = new ServletHolder(new DashboardStreamServlet(dashboard));
    stream.setAsyncSupported(true);
    context.addServlet(stream, "/api/dashboard/stream");
    context.addServlet(
        new ServletHolder(new StaticServlet("index.html", "text/html;charset=utf-8")), "");
    context.addServlet(
        new ServletHolder(new StaticServlet("dashboard.css", "text/css;charset=utf-8")),
        "/dashboard.css");
    context.addServlet(
        new ServletHolder(new StaticServlet("dashboard.js", "text/javascript;charset=utf-8")),
        "/dashboard.js");
    return context;
  }

  /** A URL a browser on this machine can open: a wildcard bind is reached through loopback. */
  static URI urlOf(String bindAddress, int port) {
    String host = bindAddress;
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port + "/");
  }

  private static void stopQuietly(Server server, Exception cause) {
    try {
      server.stop();
    } catch (Exception stop) {
      cause.addSuppressed(stop);
    }
  }
}

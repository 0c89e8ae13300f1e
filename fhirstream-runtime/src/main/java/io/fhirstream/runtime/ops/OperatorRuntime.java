package io.fhirstream.runtime.ops;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.metrics.Meters;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.ops.HealthCheck;
import io.fhirstream.ops.MeterNames;
import io.fhirstream.ops.OperatorEndpoint;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.OpsConfig;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operator endpoint of one fhirstream process, fed from its pipeline.
 *
 * <p>Lifecycle: {@link #start} (before {@link Pipeline#start}, with the registry the pipeline will
 * use: the JVM's meters are bound and the endpoint serves from then on, its probes saying
 * "starting") → {@link #attach} (once the pipeline runs: health checks, cursor ages, the
 * dashboard's data) → {@link #close} (after the pipeline is closed).
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Settings settings;
  private final Set<Role> roles;
  private final PrometheusMeterRegistry metrics;
  private final PipelineHealth health = new PipelineHealth();
  private final PipelineDashboard dashboard;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private OperatorEndpoint endpoint;

  private OperatorRuntime(Settings settings, Set<Role> roles, PrometheusMeterRegistry metrics) {
    this.settings = settings;
    this.roles = EnumSet.copyOf(roles);
    this.metrics = metrics;
    this.dashboard = new PipelineDashboard(metrics);
  }

  /** A registry for a pipeline whose meters {@code /metrics} serves. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Binds the JVM's meters and, unless {@code ops.enabled=false}, starts serving.
   *
   * @throws PipelineException when the endpoint cannot listen, naming {@code ops.port}
   */
  public static OperatorRuntime start(
      Settings settings, Set<Role> roles, PrometheusMeterRegistry metrics) {
    OperatorRuntime ops = new OperatorRuntime(settings, roles, metrics);
    ops.bindJvmMeters();
    // Registered before the sink registers it, so it keeps the histogram the percentiles need.
    MeterNames.sinkLatency().register(metrics);
    OpsConfig config = settings.ops();
    if (config.enabled()) {
      try {
        ops.endpoint =
            OperatorEndpoint.builder()
                .bindAddress(config.bindAddress())
                .port(config.port())
                .metrics(metrics)
                .livenessCheck(HealthCheck.of("pipeline", ops.health::pipeline))
                .healthChecks(ops.readinessChecks())
                .dashboardSource(ops.dashboard)
                .start();
      } catch (UncheckedIOException | IllegalStateException e) {
        ops.close();
        throw new PipelineException(
            "ops.port: the operator endpoint cannot listen on "
                + config.bindAddress()
                + ":"
                + config.port()
                + " ("
                + rootMessage(e)
                + "); set ops.port to a free port (0 for any), or ops.enabled=false",
            e);
      }
    }
    return ops;
  }

  private List<HealthCheck> readinessChecks() {
    List<HealthCheck> checks = new ArrayList<>();
    checks.add(HealthCheck.of("kafka", health::kafka));
    if (roles.contains(Role.SOURCE)) {
      checks.add(HealthCheck.of("source", health::source));
    }
    if (roles.contains(Role.SINK)) {
      checks.add(HealthCheck.of("store", health::store));
    }
    return checks;
  }

  private void bindJvmMeters() {
    new ClassLoaderMetrics().bindTo(metrics);
    new JvmMemoryMetrics().bindTo(metrics);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(metrics);
    resources.add(gc);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    new FileDescriptorMetrics().bindTo(metrics);
  }

  /**
   * Connects the endpoint to the started pipeline: its health checks go live, each resource type's
   * cursor age is measured, and the dashboard starts reading the store and the dead letters.
   */
  public void attach(Pipeline pipeline) {
    health.attach(pipeline, settings);
    resources.add(health);
    ChangeSource source = pipeline.source();
    if (source != null) {
      for (String type : pipeline.resourceTypes()) {
        TimeGauge.builder(
                Meters.SOURCE_CURSOR_AGE, source, TimeUnit.SECONDS, s -> cursorAgeSeconds(s, type))
            .description("How far the committed capture cursor of a type is behind the clock")
            .tag(Meters.TYPE, type)
            .register(metrics);
      }
    }
    dashboard.attach(pipeline, settings);
  }

  /**
   * Disconnects from the pipeline before it closes: the readiness probe says "stopping", and the
   * checks' and the dashboard's clients are closed while the hub and the store are still there. The
   * metrics are served until {@link #close}.
   */
  public void detach() {
    health.detach();
    dashboard.close();
  }

  private static double cursorAgeSeconds(ChangeSource source, String type) {
    return source
        .publishedUpTo(type)
        .map(cursor -> Duration.between(cursor, Instant.now()).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  /** The dashboard's data, where further sections (analytics aggregates) plug in. */
  public PipelineDashboard dashboard() {
    return dashboard;
  }

  /** The endpoint's base URL (the dashboard), or empty with {@code ops.enabled=false}. */
  public Optional<URI> url() {
    return Optional.ofNullable(endpoint).map(OperatorEndpoint::url);
  }

  /** The registry the endpoint serves. */
  public MeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (endpoint != null) {
      endpoint.close();
    }
    dashboard.close();
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // closing quietly: the process is ending
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}

package io.fhirstream.ops;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds and starts an {@link OperatorEndpoint}. Only {@link #metrics} is required; {@link
 * #start()} checks the rest and says what to change.
 */
public final class OperatorEndpointBuilder {
  private static final Pattern CHECK_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,39}");

  private String bindAddress = "127.0.0.1";
  private int port = 0;
  private MeterRegistry metrics;
  private final List<HealthCheck> liveness = new ArrayList<>();
  private final List<HealthCheck> readiness = new ArrayList<>();
  private DashboardSource dashboardSource = DashboardSource.NONE;
  private Duration healthTimeout = Duration.ofSeconds(1);
  private Duration healthCacheFor = Duration.ofSeconds(2);
  private Duration dashboardInterval = Duration.ofSeconds(1);
  private int maxDashboardViewers = 20;
  private Clock clock = Clock.SYSTEM;

  OperatorEndpointBuilder() {}

  /**
   * The address to listen on (default {@code 127.0.0.1}: this machine only). The endpoint has no
   * authentication: bind a wider address ({@code 0.0.0.0}, a pod's IP) only where the network in
   * front of it decides who may connect, as in a Kubernetes pod.
   */
  public OperatorEndpointBuilder bindAddress(String bindAddress) {
    this.bindAddress = bindAddress;
    return this;
  }

  /**
   * The TCP port; 0 (the default) picks a free one, read back with {@link OperatorEndpoint#port}.
   */
  public OperatorEndpointBuilder port(int port) {
    this.port = port;
    return this;
  }

  /**
   * The pipeline's meters (required): a {@link PrometheusMeterRegistry}, scraped as it is, or a
   * {@link CompositeMeterRegistry}, whose Prometheus member is scraped; when it has none, one is
   * added (and removed on close), so attach the endpoint before the pipeline counts anything.
   */
  public OperatorEndpointBuilder metrics(MeterRegistry metrics) {
    this.metrics = metrics;
    return this;
  }

  /**
   * A readiness check (e.g. {@code kafka}, {@code fhir}, the store): {@code /health/ready} is 200
   * only while every one passes. A dependency that is down makes the pod unready, not restarted.
   */
  public OperatorEndpointBuilder healthCheck(HealthCheck check) {
    readiness.add(Objects.requireNonNull(check, "check"));
    return this;
  }

  /** Several readiness checks; see {@link #healthCheck}. */
  public OperatorEndpointBuilder healthChecks(List<HealthCheck> checks) {
    checks.forEach(this::healthCheck);
    return this;
  }

  /**
   * A liveness check: DOWN means the process is in a fatal state only a restart cures (e.g. a
   * component stopped on a fatal error). {@code /health/live} is 200 while all pass (and always,
   * without any); readiness includes these too. Never make a dependency's reachability a liveness
   * check: restarting the pod does not bring Kafka back.
   */
  public OperatorEndpointBuilder livenessCheck(HealthCheck check) {
    liveness.add(Objects.requireNonNull(check, "check"));
    return this;
  }

  /** What the dashboard shows beyond the meters (default {@link DashboardSource#NONE}). */
  public OperatorEndpointBuilder dashboardSource(DashboardSource source) {
    this.dashboardSource = source;
    return this;
  }

  /** How long a probe waits for its checks (default 1 s); keep it below the probe's timeout. */
  public OperatorEndpointBuilder healthTimeout(Duration timeout) {
    this.healthTimeout = timeout;
    return this;
  }

  /** How long a check's result is reused (default 2 s), so probes cannot load what they check. */
  public OperatorEndpointBuilder healthCacheFor(Duration cacheFor) {
    this.healthCacheFor = cacheFor;
    return this;
  }

  /** The dashboard's refresh interval (default 1 s). */
  public OperatorEndpointBuilder dashboardInterval(Duration interval) {
    this.dashboardInterval = interval;
    return this;
  }

  /** How many browsers may watch the live stream at once (default 20). */
  public OperatorEndpointBuilder maxDashboardViewers(int max) {
    this.maxDashboardViewers = max;
    return this;
  }

  /** The clock for rates and health caching (default the system's; tests pass a mock). */
  public OperatorEndpointBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /**
   * Checks the parts, binds and starts serving.
   *
   * @throws IllegalStateException when a part is missing or invalid (the message says which and how
   *     to fix it), or the server cannot start
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public OperatorEndpoint start() {
    validate();
    return OperatorEndpoint.start(this);
  }

  void validate() {
    require(
        metrics instanceof PrometheusMeterRegistry || metrics instanceof CompositeMeterRegistry,
        metrics == null
            ? "metrics(registry): the pipeline's MeterRegistry"
            : "metrics(registry) to be a PrometheusMeterRegistry or a CompositeMeterRegistry, not a "
                + metrics.getClass().getSimpleName()
                + ", which cannot be scraped; wrap it: new CompositeMeterRegistry().add(registry)");
    require(
        bindAddress != null && !bindAddress.isBlank(),
        "bindAddress(host): an IP address such as 127.0.0.1");
    require(port >= 0 && port <= 65535, "port(0..65535), not " + port + "; 0 picks a free port");
    require(dashboardSource != null, "dashboardSource(source), or DashboardSource.NONE");
    requirePositive(healthTimeout, "healthTimeout");
    requirePositive(dashboardInterval, "dashboardInterval");
    require(
        healthCacheFor != null && !healthCacheFor.isNegative(),
        "healthCacheFor(duration) of zero or more");
    require(maxDashboardViewers > 0, "maxDashboardViewers(n) of at least 1");
    require(clock != null, "clock(clock), e.g. Clock.SYSTEM");
    Set<String> names = new HashSet<>();
    for (HealthCheck check : checks()) {
      String name = check.name();
      require(
          name != null && CHECK_NAME.matcher(name).matches(),
          "health check names of lowercase letters, digits, '.', '_' or '-' (at most 40), not '"
              + name
              + "'");
      require(names.add(name), "distinct health check names; '" + name + "' is given twice");
    }
  }

  private List<HealthCheck> checks() {
    List<HealthCheck> all = new ArrayList<>(liveness);
    all.addAll(readiness);
    return all;
  }

  private static void requirePositive(Duration duration, String name) {
    require(
        duration != null && !duration.isNegative() && !duration.isZero(),
        name + "(duration) greater than zero, not " + duration);
  }

  private static void require(boolean valid, String what) {
    if (!valid) {
      throw new IllegalStateException("OperatorEndpoint.builder() needs " + what);
    }
  }

  String bindAddress() {
    return bindAddress;
  }

  int port() {
    return port;
  }

  MeterRegistry metrics() {
    return metrics;
  }

  List<HealthCheck> livenessChecks() {
    return List.copyOf(liveness);
  }

  List<HealthCheck> readinessChecks() {
    return List.copyOf(readiness);
  }

  DashboardSource dashboardSource() {
    return dashboardSource;
  }

  Duration healthTimeout() {
    return healthTimeout;
  }

  Duration healthCacheFor() {
    return healthCacheFor;
  }

  Duration dashboardInterval() {
    return dashboardInterval;
  }

  int maxDashboardViewers() {
    return maxDashboardViewers;
  }

  Clock clock() {
    return clock;
  }
}

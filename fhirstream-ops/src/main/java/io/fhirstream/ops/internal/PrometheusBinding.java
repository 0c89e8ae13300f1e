package io.fhirstream.ops.internal;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus registry that {@code /metrics} scrapes and the dashboard reads, so the two always
 * agree: the one given, the Prometheus member of a composite, or one added to the composite (and
 * removed again on close).
 */
public final class PrometheusBinding implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final CompositeMeterRegistry addedTo;

  private PrometheusBinding(PrometheusMeterRegistry registry, CompositeMeterRegistry addedTo) {
    this.registry = registry;
    this.addedTo = addedTo;
  }

  public static PrometheusBinding of(MeterRegistry metrics, Clock clock) {
    if (metrics instanceof PrometheusMeterRegistry prometheus) {
      return new PrometheusBinding(prometheus, null);
    }
    CompositeMeterRegistry composite = (CompositeMeterRegistry) metrics;
    for (MeterRegistry member : composite.getRegistries()) {
      if (member instanceof PrometheusMeterRegistry prometheus) {
        return new PrometheusBinding(prometheus, null);
      }
    }
    PrometheusMeterRegistry added =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    composite.add(added);
    return new PrometheusBinding(added, composite);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (addedTo != null) {
      addedTo.remove(registry);
      registry.close();
    }
  }
}

package io.fhirstream.ops.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class PrometheusBindingTest {

  @Test
  void aPrometheusRegistryIsScrapedAsItIs() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    try (PrometheusBinding binding = PrometheusBinding.of(prometheus, Clock.SYSTEM)) {
      assertThat(binding.registry()).isSameAs(prometheus);
    }
  }

  @Test
  void aCompositesPrometheusMemberIsUsed() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CompositeMeterRegistry composite =
        new CompositeMeterRegistry().add(new SimpleMeterRegistry()).add(prometheus);

    try (PrometheusBinding binding = PrometheusBinding.of(composite, Clock.SYSTEM)) {
      assertThat(binding.registry()).isSameAs(prometheus);
    }
    assertThat(composite.getRegistries()).contains(prometheus);
  }

  @Test
  void aCompositeWithoutOneGetsOneThatSeesItsMetersUntilClosed() {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    Counter before = composite.counter("fhirstream.sink.written", "type", "Patient");

    PrometheusBinding binding = PrometheusBinding.of(composite, Clock.SYSTEM);
    before.increment(3);
    composite.counter("fhirstream.source.published", "type", "Patient").increment(2);

    assertThat(binding.registry().scrape())
        .contains("fhirstream_sink_written_total{type=\"Patient\"} 3.0")
        .contains("fhirstream_source_published_total{type=\"Patient\"} 2.0");

    binding.close();
    assertThat(composite.getRegistries()).doesNotContain(binding.registry());
  }
}

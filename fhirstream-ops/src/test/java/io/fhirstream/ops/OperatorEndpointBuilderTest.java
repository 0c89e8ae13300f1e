package io.fhirstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorEndpointBuilderTest {

  private static OperatorEndpointBuilder valid() {
    return OperatorEndpoint.builder().metrics(new CompositeMeterRegistry());
  }

  @Test
  void aValidBuilderPassesItsChecks() {
    valid().healthCheck(HealthCheck.of("kafka", HealthCheck.Result::up)).validate();
  }

  @Test
  void metricsAreRequired() {
    assertThatThrownBy(() -> OperatorEndpoint.builder().validate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "OperatorEndpoint.builder() needs metrics(registry): the pipeline's MeterRegistry");
  }

  @Test
  void aRegistryThatCannotBeScrapedIsRefusedWithTheFix() {
    assertThatThrownBy(() -> valid().metrics(new SimpleMeterRegistry()).validate())
        .hasMessageContaining("not a SimpleMeterRegistry")
        .hasMessageContaining("new CompositeMeterRegistry().add(registry)");
  }

  @Test
  void portsOutsideTheRangeAreRefused() {
    assertThatThrownBy(() -> valid().port(70000).validate())
        .hasMessageContaining("port(0..65535), not 70000");
    assertThatThrownBy(() -> valid().port(-1).validate()).hasMessageContaining("not -1");
  }

  @Test
  void aBlankBindAddressIsRefused() {
    assertThatThrownBy(() -> valid().bindAddress(" ").validate())
        .hasMessageContaining("bindAddress(host)");
  }

  @Test
  void healthCheckNamesMustBeKeysAndDistinct() {
    assertThatThrownBy(
            () ->
                valid()
                    .healthCheck(HealthCheck.of("FHIR server", HealthCheck.Result::up))
                    .validate())
        .hasMessageContaining("not 'FHIR server'");
    assertThatThrownBy(
            () ->
                valid()
                    .livenessCheck(HealthCheck.of("kafka", HealthCheck.Result::up))
                    .healthCheck(HealthCheck.of("kafka", HealthCheck.Result::up))
                    .validate())
        .hasMessageContaining("'kafka' is given twice");
  }

  @Test
  void durationsMustBePositive() {
    assertThatThrownBy(() -> valid().healthTimeout(Duration.ZERO).validate())
        .hasMessageContaining("healthTimeout(duration) greater than zero");
    assertThatThrownBy(() -> valid().healthCacheFor(Duration.ofSeconds(-1)).validate())
        .hasMessageContaining("healthCacheFor");
    assertThatThrownBy(() -> valid().dashboardInterval(null).validate())
        .hasMessageContaining("dashboardInterval");
  }

  @Test
  void theUrlOfAWildcardBindIsReachedThroughLoopback() {
    assertThat(OperatorEndpoint.urlOf("0.0.0.0", 9464)).hasToString("http://127.0.0.1:9464/");
    assertThat(OperatorEndpoint.urlOf("::", 9464)).hasToString("http://127.0.0.1:9464/");
    assertThat(OperatorEndpoint.urlOf("::1", 9464)).hasToString("http://[::1]:9464/");
    assertThat(OperatorEndpoint.urlOf("10.1.2.3", 80)).hasToString("http://10.1.2.3:80/");
  }
}

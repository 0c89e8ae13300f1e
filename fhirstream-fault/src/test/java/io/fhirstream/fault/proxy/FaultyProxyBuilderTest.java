package io.fhirstream.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaultyProxyBuilderTest {

  @Test
  void upstreamIsRequired() {
    assertThatThrownBy(() -> FaultyProxy.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("upstream(");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://127.0.0.1:8443/fhir", "/fhir", "http://127.0.0.1:8080/fhir?x=1"})
  void upstreamMustBeAPlainHttpBaseUrl(String upstream) {
    FaultyProxy.Builder builder = FaultyProxy.builder().upstream(URI.create(upstream));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(upstream);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536})
  void portOutOfRangeIsRejected(int port) {
    FaultyProxy.Builder builder =
        FaultyProxy.builder().upstream(URI.create("http://127.0.0.1:8080")).port(port);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
  }

  @Test
  void baseUriBeforeStartSaysWhatToDo() {
    FaultyProxy proxy = FaultyProxy.builder().upstream(URI.create("http://127.0.0.1:8080")).build();
    assertThatThrownBy(proxy::baseUri).hasMessageContaining("start()");
    assertThat(proxy.faults().isTransparent()).isTrue();
    assertThat(proxy.stats().requests()).isZero();
  }
}

package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoFhirServerBuilderTest {
  @Test
  void buildsAServerForTheListedTypesInOrder() {
    DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient", "Observation", "Encounter").build();

    assertThat(server.store().resourceTypes())
        .containsExactly("Patient", "Observation", "Encounter");
    assertThatThrownBy(server::baseUrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("start()");
    server.close(); // closing a server that never started is harmless
  }

  @Test
  void refusesConfigurationsItCannotServe() {
    assertThatThrownBy(() -> DemoFhirServer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resourceTypes(");
    assertThatThrownBy(() -> DemoFhirServer.builder().resourceTypes("Patient", "Patients").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Patients' is not a FHIR R4 resource type");
    assertThatThrownBy(() -> DemoFhirServer.builder().resourceTypes("Patient", "Patient").build())
        .hasMessageContaining("listed twice");
    assertThatThrownBy(() -> DemoFhirServer.builder().resourceTypes("Patient").port(70000).build())
        .hasMessageContaining("port");
    assertThatThrownBy(
            () -> DemoFhirServer.builder().resourceTypes("Patient").pageCacheSize(0).build())
        .hasMessageContaining("pageCacheSize");
  }
}

package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotificationTargetTest {
  @Test
  void theEndpointItselfNamesNoResource() {
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify"))
        .isEqualTo(new NotificationTarget(null, null));
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/"))
        .isEqualTo(new NotificationTarget(null, null));
  }

  @Test
  void typeAndIdAreReadBelowTheEndpoint() {
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient"))
        .isEqualTo(new NotificationTarget("Patient", null));
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/a-1.B"))
        .isEqualTo(new NotificationTarget("Patient", "a-1.B"));
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/7/_history/3"))
        .isEqualTo(new NotificationTarget("Patient", "7"));
    assertThat(NotificationTarget.parse("/", "/Observation/9"))
        .isEqualTo(new NotificationTarget("Observation", "9"));
  }

  @Test
  void anythingElseIsRefusedRatherThanUsedAsAKeyOrInAUrl() {
    assertThat(NotificationTarget.parse("/fhir-notify", "/other/Patient/1")).isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notifyX/Patient/1")).isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/patient/1")).isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/a b")).isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/..%2F")).isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/" + "x".repeat(65)))
        .isNull();
    assertThat(NotificationTarget.parse("/fhir-notify", "/fhir-notify/Patient/1/extra")).isNull();
  }
}

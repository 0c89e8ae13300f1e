package io.fhirstream.source.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class EventsAccountTest {

  @Test
  void theAccountIsTheBaseUrlsHostAsHealthDataServicesNamesIt() {
    assertThat(
            EventsChangeSource.account(URI.create("https://WS-FHIR.fhir.azurehealthcareapis.com/")))
        .isEqualTo("ws-fhir.fhir.azurehealthcareapis.com");
    assertThat(EventsChangeSource.account(URI.create("https://fhir.example.org:443/r4")))
        .isEqualTo("fhir.example.org");
    assertThat(EventsChangeSource.account(URI.create("http://127.0.0.1:8080/fhir")))
        .as("a port that is not the scheme's default stays")
        .isEqualTo("127.0.0.1:8080");
  }
}

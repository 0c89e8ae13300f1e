package io.fhirstream.source.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.BadEventException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AhdsEventsTest {
  private static final String ACCOUNT = "ws-fhir.fhir.azurehealthcareapis.com";

  @Test
  void readsTheEventGridSchemaAsAnArray() throws Exception {
    String message =
        "[{\"id\":\"e1\",\"topic\":\"/subscriptions/s/resourceGroups/g/providers/Microsoft.HealthcareApis/workspaces/ws\","
            + "\"subject\":\""
            + ACCOUNT
            + "/Patient/p-1\","
            + "\"data\":{\"resourceType\":\"Patient\",\"resourceFhirAccount\":\""
            + ACCOUNT
            + "\","
            + "\"resourceFhirId\":\"p-1\",\"resourceVersionId\":3},"
            + "\"eventType\":\"Microsoft.HealthcareApis.FhirResourceUpdated\",\"dataVersion\":\"1\","
            + "\"metadataVersion\":\"1\",\"eventTime\":\"2026-01-02T03:04:05.6789012Z\"}]";

    List<FhirResourceEvent> events = AhdsEvents.parse(bytes(message));

    assertThat(events)
        .containsExactly(
            new FhirResourceEvent(
                FhirResourceEvent.Kind.UPDATED,
                ACCOUNT,
                "Patient",
                "p-1",
                "3",
                Instant.parse("2026-01-02T03:04:05.6789012Z")));
  }

  @Test
  void readsTheCloudEventsSchema() throws Exception {
    String message =
        "{\"specversion\":\"1.0\",\"id\":\"e2\",\"source\":\"/subscriptions/s/workspaces/ws\","
            + "\"subject\":\""
            + ACCOUNT
            + "/Observation/o1\","
            + "\"type\":\"Microsoft.HealthcareApis.FhirResourceDeleted\",\"time\":\"2026-01-02T03:04:06Z\","
            + "\"data\":{\"resourceType\":\"Observation\",\"resourceFhirAccount\":\""
            + ACCOUNT
            + "\","
            + "\"resourceFhirId\":\"o1\",\"resourceVersionId\":\"7\"}}";

    FhirResourceEvent event = AhdsEvents.parse(bytes(message)).get(0);

    assertThat(event.kind()).isEqualTo(FhirResourceEvent.Kind.DELETED);
    assertThat(event.reference()).isEqualTo("Observation/o1/_history/7");
    assertThat(event.time()).isEqualTo(Instant.parse("2026-01-02T03:04:06Z"));
  }

  @Test
  void eventsOfOtherServicesAreLeftOut() throws Exception {
    String message =
        "{\"eventType\":\"Microsoft.HealthcareApis.DicomImageCreated\",\"data\":{\"imageStudyInstanceUid\":\"1.2\"}}";

    assertThat(AhdsEvents.parse(bytes(message))).isEmpty();
  }

  @Test
  void aMalformedEventIsRefusedWithoutQuotingIt() {
    String injected =
        "{\"eventType\":\"Microsoft.HealthcareApis.FhirResourceCreated\",\"data\":{\"resourceType\":\"Patient\","
            + "\"resourceFhirAccount\":\""
            + ACCOUNT
            + "\",\"resourceFhirId\":\"../secret-name\",\"resourceVersionId\":1}}";

    assertThatThrownBy(() -> AhdsEvents.parse(bytes(injected)))
        .isInstanceOf(BadEventException.class)
        .hasMessageContaining("resourceFhirId")
        .hasMessageNotContaining("secret-name");
    assertThatThrownBy(() -> AhdsEvents.parse(bytes("Jane Doe, 1970-01-01")))
        .isInstanceOf(BadEventException.class)
        .hasMessage("not JSON");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

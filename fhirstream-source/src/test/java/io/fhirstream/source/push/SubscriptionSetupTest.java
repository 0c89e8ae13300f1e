package io.fhirstream.source.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.http.FhirCredentials;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.Test;

class SubscriptionSetupTest {
  private static final URI ENDPOINT = URI.create("https://fhirstream.example.org/fhir-notify");

  private static SubscriptionSetup setup(Map<String, String> extra) {
    Map<String, String> raw = new HashMap<>();
    raw.put("source.fhir.base-url", "https://fhir.example.org/fhir");
    raw.put("source.push.enabled", "true");
    raw.put("source.push.secret", "s3cret");
    raw.putAll(extra);
    SourceConfig source =
        SourceConfig.from(SourceConfig.DEFINITION.parse(raw), List.of("Patient", "Observation"));
    return source.subscriptionSetup(ENDPOINT, FhirCredentials.none());
  }

  @Test
  void oneRestHookPerTypeWithTheSecretInTheChannelHeader() {
    Subscription wanted = setup(Map.of()).wanted("Observation");
    assertThat(wanted.getCriteria()).isEqualTo("Observation?");
    assertThat(wanted.getStatus()).isEqualTo(SubscriptionStatus.REQUESTED);
    assertThat(wanted.getChannel().getType()).isEqualTo(SubscriptionChannelType.RESTHOOK);
    assertThat(wanted.getChannel().getEndpoint()).isEqualTo(ENDPOINT.toString());
    assertThat(wanted.getChannel().getPayload()).isEqualTo("application/fhir+json");
    assertThat(wanted.getChannel().getHeader())
        .extracting(h -> h.getValue())
        .containsExactly("Authorization: Bearer s3cret");
    assertThat(SubscriptionSetup.sendsDeletes(wanted)).isTrue();
    assertThat(wanted.getMeta().getTag())
        .anyMatch(
            t ->
                SubscriptionSetup.TAG_SYSTEM.equals(t.getSystem())
                    && "Observation".equals(t.getCode()));
  }

  @Test
  void idOnlyAsksForNoPayload() {
    Subscription wanted =
        setup(Map.of("source.push.payload", "id-only", "source.push.deletes", "false"))
            .wanted("Patient");
    assertThat(wanted.getChannel().hasPayload()).isFalse();
    assertThat(SubscriptionSetup.sendsDeletes(wanted)).isFalse();
  }

  @Test
  void anExistingSubscriptionIsLeftAloneOnlyWhenLiveAndAlike() {
    SubscriptionSetup setup = setup(Map.of());
    Subscription existing = setup.wanted("Patient").setStatus(SubscriptionStatus.ACTIVE);
    assertThat(SubscriptionSetup.sameSettings(existing, setup.wanted("Patient"))).isTrue();

    existing.setStatus(SubscriptionStatus.ERROR);
    assertThat(SubscriptionSetup.sameSettings(existing, setup.wanted("Patient")))
        .as("a failed Subscription is requested again")
        .isFalse();

    Subscription rotated = setup(Map.of("source.push.secret", "new")).wanted("Patient");
    assertThat(SubscriptionSetup.sameSettings(setup.wanted("Patient"), rotated))
        .as("a new secret")
        .isFalse();
  }
}

package io.fhirstream.kafka.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.CredentialUnavailableException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The handler's wiring to Kafka and azure-identity. A real token needs Azure, which these tests do
 * not have: the credential is azure-identity's own {@link TokenCredential} interface, answered
 * here.
 */
class EntraIdLoginCallbackHandlerTest {
  static final Map<String, Object> CONFIGS =
      Map.of("bootstrap.servers", List.of("fhir-ns.servicebus.windows.net:9093"));

  @Test
  void scopeIsTheNamespaceOfTheFirstBootstrapServer() {
    assertThat(EntraIdLoginCallbackHandler.scope(List.of("fhir-ns.servicebus.windows.net:9093")))
        .isEqualTo("https://fhir-ns.servicebus.windows.net/.default");
    assertThat(EntraIdLoginCallbackHandler.scope("a.servicebus.windows.net:9093,b:9093"))
        .isEqualTo("https://a.servicebus.windows.net/.default");
    assertThatThrownBy(() -> EntraIdLoginCallbackHandler.scope(null))
        .hasMessageContaining("hub.eventhubs.namespace");
  }

  @Test
  void handsKafkaATokenForTheNamespaceScope() throws Exception {
    List<TokenRequestContext> requests = new ArrayList<>();
    OffsetDateTime expires = OffsetDateTime.now().plusHours(1);
    TokenCredential credential =
        request -> {
          requests.add(request);
          return Mono.just(new AccessToken("eyJ0b2tlbi12YWx1ZQ", expires));
        };
    EntraIdLoginCallbackHandler handler = new EntraIdLoginCallbackHandler(credential);
    handler.configure(CONFIGS, "OAUTHBEARER", List.of());

    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();
    handler.handle(new Callback[] {callback});

    assertThat(requests)
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getScopes())
                    .containsExactly("https://fhir-ns.servicebus.windows.net/.default"));
    assertThat(callback.token().value()).isEqualTo("eyJ0b2tlbi12YWx1ZQ");
    assertThat(callback.token().lifetimeMs()).isEqualTo(expires.toInstant().toEpochMilli());
    assertThat(callback.token().scope())
        .containsExactly("https://fhir-ns.servicebus.windows.net/.default");
    assertThat(callback.token().toString()).doesNotContain("eyJ0b2tlbi12YWx1ZQ");
  }

  @Test
  void noCredentialFailsWithWhatToDo() {
    TokenCredential none =
        request ->
            Mono.error(new CredentialUnavailableException("EnvironmentCredential unavailable"));
    EntraIdLoginCallbackHandler handler = new EntraIdLoginCallbackHandler(none);
    handler.configure(CONFIGS, "OAUTHBEARER", List.of());
    assertThatThrownBy(() -> handler.handle(new Callback[] {new OAuthBearerTokenCallback()}))
        .isInstanceOf(KafkaException.class)
        .hasMessageContaining("https://fhir-ns.servicebus.windows.net/.default")
        .hasMessageContaining("EnvironmentCredential unavailable")
        .hasMessageContaining("az login");
  }

  @Test
  void refusesOtherMechanismsAndCallbacks() {
    EntraIdLoginCallbackHandler handler = new EntraIdLoginCallbackHandler(request -> Mono.empty());
    assertThatThrownBy(() -> handler.configure(CONFIGS, "PLAIN", List.of()))
        .hasMessageContaining("OAUTHBEARER");
    handler.configure(CONFIGS, "OAUTHBEARER", List.of());
    assertThatThrownBy(() -> handler.handle(new Callback[] {new Callback() {}}))
        .isInstanceOf(UnsupportedCallbackException.class);
  }

  @Test
  void kafkaBuildsTheDefaultAzureCredentialByClassName() throws Exception {
    // What Kafka does with sasl.login.callback.handler.class: the public constructor, then
    // configure. This builds azure-identity's real DefaultAzureCredential (no token requested).
    EntraIdLoginCallbackHandler handler =
        (EntraIdLoginCallbackHandler)
            Class.forName(
                    EventHubsSettings.clientWithEntraId("fhir-ns.servicebus.windows.net")
                        .get("sasl.login.callback.handler.class"))
                .getConstructor()
                .newInstance();
    handler.configure(CONFIGS, "OAUTHBEARER", List.of());
    assertThat(handler.scope()).isEqualTo("https://fhir-ns.servicebus.windows.net/.default");
    handler.close();
  }
}

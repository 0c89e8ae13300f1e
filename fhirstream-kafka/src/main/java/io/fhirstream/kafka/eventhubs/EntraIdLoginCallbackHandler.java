package io.fhirstream.kafka.eventhubs;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Gives Kafka's OAUTHBEARER login Microsoft Entra ID tokens for an Event Hubs namespace, from
 * azure-identity's {@code DefaultAzureCredential} (environment, workload identity, managed
 * identity, Azure CLI…). The scope is {@code https://NAMESPACE.servicebus.windows.net/.default},
 * taken from the first bootstrap server. Kafka calls it at login and again before the token
 * expires.
 *
 * <p>Set with {@code sasl.login.callback.handler.class}; {@link EventHubsSettings} does that for
 * {@code hub.eventhubs.auth=entra-id}.
 */
public final class EntraIdLoginCallbackHandler implements AuthenticateCallbackHandler {
  private TokenCredential credential;
  private String scope;

  /** Used by Kafka, which instantiates the handler by class name. */
  public EntraIdLoginCallbackHandler() {}

  /** With a given credential instead of {@code DefaultAzureCredential}. */
  EntraIdLoginCallbackHandler(TokenCredential credential) {
    this.credential = credential;
  }

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasEntries) {
    if (!OAuthBearerLoginModule.OAUTHBEARER_MECHANISM.equals(saslMechanism)) {
      throw new IllegalArgumentException(
          "the Entra ID login handler serves sasl.mechanism=OAUTHBEARER, not " + saslMechanism);
    }
    scope = scope(configs.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    if (credential == null) {
      credential = new DefaultAzureCredentialBuilder().build();
    }
  }

  /** {@code https://HOST/.default} for the first of the bootstrap servers. */
  static String scope(Object bootstrapServers) {
    String first =
        bootstrapServers instanceof List<?> list && !list.isEmpty()
            ? list.get(0).toString()
            : String.valueOf(bootstrapServers).split(",")[0];
    String host = first.trim();
    int colon = host.lastIndexOf(':');
    host = colon > 0 ? host.substring(0, colon) : host;
    if (host.isEmpty() || "null".equals(host)) {
      throw new IllegalArgumentException(
          "bootstrap.servers is not set; set hub.eventhubs.namespace or kafka.bootstrap.servers");
    }
    return "https://" + host + "/.default";
  }

  /** The scope tokens are requested for (after {@link #configure}). */
  String scope() {
    return scope;
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
        tokenCallback.token(token());
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  private OAuthBearerToken token() {
    AccessToken token;
    try {
      token = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
    } catch (RuntimeException e) {
      // azure-identity's message lists the credentials it tried and why each failed; no secrets.
      throw new KafkaException(
          "no Microsoft Entra ID token for "
              + scope
              + " ("
              + e.getMessage()
              + "); sign in (az login), or give the workload a managed or workload identity, or"
              + " set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET; the identity needs"
              + " an Azure Event Hubs Data Sender and Receiver (or Owner) role on the namespace",
          e);
    }
    if (token == null) {
      throw new KafkaException("no Microsoft Entra ID token for " + scope + " (none returned)");
    }
    return new EntraIdToken(
        token.getToken(), token.getExpiresAt().toInstant().toEpochMilli(), scope);
  }

  @Override
  public void close() {}

  /** A bearer token; its {@code toString} never shows the value. */
  record EntraIdToken(String value, long lifetimeMs, String scopeName) implements OAuthBearerToken {
    @Override
    public Set<String> scope() {
      return Set.of(scopeName);
    }

    @Override
    public String principalName() {
      return "entra-id";
    }

    @Override
    public Long startTimeMs() {
      return null;
    }

    @Override
    public String toString() {
      return "EntraIdToken[scope=" + scopeName + ", lifetimeMs=" + lifetimeMs + "]";
    }
  }
}

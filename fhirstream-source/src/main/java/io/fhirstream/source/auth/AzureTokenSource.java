package io.fhirstream.source.auth;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.CredentialUnavailableException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.config.Secret;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * Tokens from Azure identity's {@code DefaultAzureCredential}: environment (service principal),
 * workload identity, managed identity, then developer logins (Azure CLI, …). Loaded only in mode
 * {@code azure}, so azure-identity is needed on the class path only there.
 */
final class AzureTokenSource implements TokenSource {
  private final TokenCredential credential;
  private final TokenRequestContext context;
  private final String scope;

  AzureTokenSource(String scope, Optional<String> managedIdentityClientId) {
    DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
    managedIdentityClientId.ifPresent(builder::managedIdentityClientId);
    this.credential = builder.build();
    this.scope = scope;
    this.context = new TokenRequestContext().addScopes(scope);
  }

  @Override
  public Issued request() {
    AccessToken token;
    try {
      token = credential.getTokenSync(context);
    } catch (CredentialUnavailableException e) {
      throw new PipelineException(
          "no Azure identity is available to fhirstream (DefaultAzureCredential found no managed"
              + " identity, workload identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET"
              + " or Azure CLI login); give the host an identity with access to the FHIR service,"
              + " or use source.fhir.auth=client-credentials");
    } catch (RuntimeException e) {
      throw new PipelineException(
          "Azure identity could not get a token for scope "
              + scope
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + firstLine(e.getMessage())
              + "); check that the identity has a role such as FHIR Data Reader on the FHIR"
              + " service and that "
              + AuthConfig.SCOPE
              + " is {fhir-url}/.default");
    }
    Duration lifetime = Duration.between(OffsetDateTime.now(), token.getExpiresAt());
    return new Issued(
        new Secret(token.getToken()),
        lifetime.isNegative() ? Optional.empty() : Optional.of(lifetime));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}

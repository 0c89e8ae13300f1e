package io.fhirstream.source.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Asks an OAuth2 token endpoint for an access token with the client credentials grant (Nimbus
 * OAuth2 SDK), the client authenticated by its secret or by a freshly signed client assertion
 * (SMART Backend Services: {@code iss}={@code sub}=client id, {@code aud}=token endpoint, a unique
 * {@code jti}, {@code exp} four minutes ahead). Only the client's own credentials go to this
 * endpoint. Errors name the endpoint, the HTTP status and the OAuth2 error code, never a secret or
 * assertion.
 */
final class TokenEndpoint implements TokenSource {
  /** SMART allows at most five minutes; a minute less leaves room for clock skew. */
  private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(4);

  private final AuthConfig auth;
  private final Supplier<URI> endpoint;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Clock clock;

  TokenEndpoint(
      AuthConfig auth,
      Supplier<URI> endpoint,
      Duration connectTimeout,
      Duration readTimeout,
      Clock clock) {
    this.auth = auth;
    this.endpoint = endpoint;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.clock = clock;
  }

  /**
   * @throws PipelineException when the endpoint refuses the request (4xx, an OAuth2 error)
   * @throws RetriableException when it is unreachable, times out, or answers 429/5xx
   */
  @Override
  public Issued request() {
    URI uri = endpoint.get();
    TokenRequest request =
        new TokenRequest(
            uri,
            clientAuthentication(uri),
            new ClientCredentialsGrant(),
            auth.scope().map(Scope::parse).orElse(null));
    HTTPRequest http = request.toHTTPRequest();
    http.setConnectTimeout((int) connectTimeout.toMillis());
    http.setReadTimeout((int) readTimeout.toMillis());
    http.setFollowRedirects(false);
    HTTPResponse response;
    try {
      response = http.send();
    } catch (IOException e) {
      throw new RetriableException(
          "cannot reach the OAuth2 token endpoint "
              + uri
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    int status = response.getStatusCode();
    if (status == 429 || status >= 500) {
      throw new RetriableException(
          "the OAuth2 token endpoint " + uri + " answered HTTP " + status + "; retrying");
    }
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(response);
    } catch (ParseException e) {
      throw new PipelineException(
          "the OAuth2 token endpoint "
              + uri
              + " answered HTTP "
              + status
              + " with something that is not an OAuth2 token response; check "
              + AuthConfig.TOKEN_URL);
    }
    if (!parsed.indicatesSuccess()) {
      throw refused(uri, status, ((TokenErrorResponse) parsed).getErrorObject());
    }
    AccessTokenResponse success = parsed.toSuccessResponse();
    var token = success.getTokens().getAccessToken();
    if (!AccessTokenType.BEARER.equals(token.getType())) {
      throw new PipelineException(
          "the OAuth2 token endpoint "
              + uri
              + " issued a "
              + token.getType()
              + " token; fhirstream sends Bearer tokens only");
    }
    long lifetime = token.getLifetime();
    return new Issued(
        new Secret(token.getValue()),
        lifetime > 0 ? Optional.of(Duration.ofSeconds(lifetime)) : Optional.empty());
  }

  private ClientAuthentication clientAuthentication(URI uri) {
    ClientID client = new ClientID(auth.clientId());
    if (auth.mode() == AuthMode.CLIENT_CREDENTIALS) {
      var secret =
          new com.nimbusds.oauth2.sdk.auth.Secret(auth.clientSecret().orElseThrow().value());
      return auth.clientSecretPost()
          ? new ClientSecretPost(client, secret)
          : new ClientSecretBasic(client, secret);
    }
    SigningKey key = auth.signingKey().orElseThrow();
    Instant now = clock.instant();
    JWTAuthenticationClaimsSet claims =
        new JWTAuthenticationClaimsSet(
            client,
            List.of(new Audience(uri.toString())),
            Date.from(now.plus(ASSERTION_LIFETIME)),
            null,
            Date.from(now),
            new JWTID());
    try {
      return new PrivateKeyJWT(claims, key.algorithm(), key.key(), key.keyId().orElse(null), null);
    } catch (JOSEException e) {
      throw new PipelineException(
          "cannot sign the SMART client assertion with the key of "
              + AuthConfig.PRIVATE_KEY_FILE
              + " ("
              + e.getClass().getSimpleName()
              + "); check the key file");
    }
  }

  private PipelineException refused(URI uri, int status, ErrorObject error) {
    String code = error == null || error.getCode() == null ? "no error code" : error.getCode();
    String description =
        error == null || error.getDescription() == null
            ? ""
            : ": " + redact(error.getDescription());
    return new PipelineException(
        "the OAuth2 token endpoint "
            + uri
            + " refused the token request of client '"
            + auth.clientId()
            + "' (HTTP "
            + status
            + ", "
            + code
            + description
            + "); "
            + hint(code));
  }

  private String hint(String code) {
    return switch (code) {
      case "invalid_client" ->
          auth.mode() == AuthMode.SMART_BACKEND
              ? "check "
                  + AuthConfig.CLIENT_ID
                  + ", that the server has the public key of "
                  + AuthConfig.PRIVATE_KEY_FILE
                  + " in the client's JWKS, and "
                  + AuthConfig.KEY_ID
              : "check " + AuthConfig.CLIENT_ID + " and the client secret";
      case "invalid_scope" -> "check " + AuthConfig.SCOPE;
      case "unauthorized_client" ->
          "the client is not allowed the client_credentials grant; fix its registration";
      default ->
          "check "
              + AuthConfig.TOKEN_URL
              + ", "
              + AuthConfig.CLIENT_ID
              + " and the client's registration";
    };
  }

  /** A server could echo what it was sent; never let a secret through. */
  private String redact(String text) {
    String out = text.length() > 300 ? text.substring(0, 300) + "…" : text;
    if (auth.clientSecret().isPresent() && !auth.clientSecret().get().value().isEmpty()) {
      out = out.replace(auth.clientSecret().get().value(), "[hidden]");
    }
    return out.replaceAll("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*", "[hidden]");
  }
}

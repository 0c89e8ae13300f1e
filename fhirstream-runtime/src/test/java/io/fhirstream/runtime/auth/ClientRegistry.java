package io.fhirstream.runtime.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * The registered clients of the test's authorisation server. mock-oauth2-server issues a token to
 * any client unless told otherwise; this token callback (its extension point for a token's
 * contents) makes it check the client as a real server does: the client secret, or the signature
 * and claims of a SMART client assertion against the client's registered public key. A refused
 * client gets {@code invalid_client} (HTTP 401) from the server.
 */
final class ClientRegistry implements OAuth2TokenCallback {
  static final String ISSUER_ID = "fhirauth";

  private final String audience;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, JWK> publicKeys = new ConcurrentHashMap<>();
  private final Set<String> seenJwtIds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicLong expirySeconds = new AtomicLong(3600);
  private volatile String tokenEndpoint;

  /** What each accepted client assertion looked like, for the test to check. */
  final List<SignedJWT> assertions = new CopyOnWriteArrayList<>();

  ClientRegistry(String audience) {
    this.audience = audience;
  }

  void tokenEndpoint(String url) {
    this.tokenEndpoint = url;
  }

  void registerSecret(String clientId, String secret) {
    secrets.put(clientId, secret);
  }

  void registerPublicKey(String clientId, JWK publicKey) {
    publicKeys.put(clientId, publicKey);
  }

  void tokenLifetime(Duration lifetime) {
    expirySeconds.set(lifetime.toSeconds());
  }

  int tokensIssued() {
    return issued.get();
  }

  @Override
  public String issuerId() {
    return ISSUER_ID;
  }

  @Override
  public String subject(TokenRequest request) {
    String client = authenticate(request.getClientAuthentication());
    issued.incrementAndGet();
    return client;
  }

  private String authenticate(ClientAuthentication auth) {
    if (auth instanceof PlainClientSecret plain) {
      String expected = secrets.get(plain.getClientID().getValue());
      if (expected == null || !expected.equals(plain.getClientSecret().getValue())) {
        throw invalidClient("client authentication failed");
      }
      return plain.getClientID().getValue();
    }
    if (auth instanceof PrivateKeyJWT jwt) {
      return verifyAssertion(jwt);
    }
    throw invalidClient("no client authentication");
  }

  private String verifyAssertion(PrivateKeyJWT auth) {
    String client = auth.getClientID().getValue();
    JWK key = publicKeys.get(client);
    SignedJWT assertion = auth.getClientAssertion();
    try {
      JWSHeader header = assertion.getHeader();
      if (key == null
          || (key.getKeyID() != null && !key.getKeyID().equals(header.getKeyID()))
          || !assertion.verify(
              new DefaultJWSVerifierFactory()
                  .createJWSVerifier(header, ((AsymmetricJWK) key).toPublicKey()))) {
        throw invalidClient("client assertion signature not valid");
      }
      JWTClaimsSet claims = assertion.getJWTClaimsSet();
      Instant now = Instant.now();
      if (!client.equals(claims.getIssuer())
          || !client.equals(claims.getSubject())
          || !claims.getAudience().contains(tokenEndpoint)
          || claims.getExpirationTime() == null
          || claims.getExpirationTime().toInstant().isBefore(now)
          || claims.getExpirationTime().toInstant().isAfter(now.plusSeconds(300))
          || claims.getJWTID() == null
          || !seenJwtIds.add(claims.getJWTID())) {
        throw invalidClient("client assertion claims not valid");
      }
    } catch (OAuth2Exception e) {
      throw e;
    } catch (Exception e) {
      throw invalidClient("client assertion not valid");
    }
    assertions.add(assertion);
    return client;
  }

  private static OAuth2Exception invalidClient(String description) {
    ErrorObject error = OAuth2Error.INVALID_CLIENT.setDescription(description);
    return new OAuth2Exception(error, description);
  }

  @Override
  public String typeHeader(TokenRequest request) {
    return "JWT";
  }

  @Override
  public List<String> audience(TokenRequest request) {
    return List.of(audience);
  }

  @Override
  public Map<String, Object> addClaims(TokenRequest request) {
    return request.getScope() == null ? Map.of() : Map.of("scope", request.getScope().toString());
  }

  @Override
  public long tokenExpiry() {
    return expirySeconds.get();
  }
}

package io.fhirstream.demo.fhir;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What the demo server demands of a bearer token when it runs protected: a JWT signed by a key in
 * the issuer's JWKS, with this issuer and audience, not expired.
 *
 * @param jwksUrl where the issuer publishes its signing keys (fetched and cached)
 * @param issuer the exact {@code iss}
 * @param audience a value {@code aud} must contain
 * @param tokenEndpoint advertised in {@code .well-known/smart-configuration} when present, so
 *     clients can discover it
 */
public record TokenRequirements(
    URI jwksUrl, String issuer, String audience, Optional<URI> tokenEndpoint) {
  public TokenRequirements {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
  }
}

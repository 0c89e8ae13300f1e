package io.fhirstream.source.auth;

import io.fhirstream.api.config.Secret;
import java.time.Duration;
import java.util.Optional;

/** Where {@link OAuthCredentials} gets a new access token: a token endpoint, or Azure identity. */
interface TokenSource {

  /** A token and its lifetime, if the issuer said. */
  record Issued(Secret token, Optional<Duration> lifetime) {}

  /**
   * Asks for a new token (blocking).
   *
   * @throws io.fhirstream.api.PipelineException when the issuer refuses, with the fix
   * @throws io.fhirstream.api.RetriableException when it is unreachable or busy
   */
  Issued request();
}

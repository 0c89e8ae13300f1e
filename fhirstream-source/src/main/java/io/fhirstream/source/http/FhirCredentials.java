package io.fhirstream.source.http;

import io.fhirstream.api.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What a request to the FHIR server carries in its {@code Authorization} header. The caller sends
 * it only to the configured base URL's origin. Implementations are thread-safe.
 *
 * <p>Call order per request: {@link #authorization()} → send → on HTTP 401, {@link
 * #renewAfterUnauthorized(String)} with the header that was refused → when it returns true, ask
 * {@link #authorization()} again and resend once.
 */
public interface FhirCredentials {

  /**
   * The header value for the next request, e.g. {@code Bearer …}; empty for none. May fetch a new
   * access token (blocking) when the cached one is about to expire.
   *
   * @throws io.fhirstream.api.PipelineException when the token endpoint refuses the client
   * @throws io.fhirstream.api.RetriableException when the token endpoint is unreachable or busy
   */
  Optional<String> authorization();

  /**
   * The server refused {@code refused} with 401: drop it and get a fresh credential if this kind of
   * credential can be renewed.
   *
   * @return whether a renewed credential is worth one more try
   */
  default boolean renewAfterUnauthorized(String refused) {
    return false;
  }

  /** No credentials. */
  static FhirCredentials none() {
    return Optional::empty;
  }

  /** A static bearer token. */
  static FhirCredentials bearer(Secret token) {
    Optional<String> header = Optional.of("Bearer " + token.value());
    return () -> header;
  }

  /** HTTP Basic. */
  static FhirCredentials basic(String username, Secret password) {
    String pair = username + ":" + password.value();
    Optional<String> header =
        Optional.of(
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    return () -> header;
  }
}

package io.fhirstream.source.auth;

import io.fhirstream.api.config.Secret;
import java.time.Instant;
import java.util.Optional;

/**
 * An access token and when to replace it.
 *
 * @param value the token
 * @param renewAt when it should be replaced (before it expires); empty when the server did not say
 *     how long it lasts, so it is kept until refused
 */
record AccessToken(Secret value, Optional<Instant> renewAt) {
  String header() {
    return "Bearer " + value.value();
  }
}

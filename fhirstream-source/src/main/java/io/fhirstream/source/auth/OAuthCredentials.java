package io.fhirstream.source.auth;

import io.fhirstream.source.http.FhirCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 access tokens, cached and replaced shortly before they expire ({@code
 * source.fhir.auth.refresh-skew}, at most half the token's lifetime) or once the FHIR server
 * refuses one. One thread at a time asks the token endpoint; the others wait for its token.
 */
final class OAuthCredentials implements FhirCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthCredentials.class);

  private final TokenSource endpoint;
  private final Duration skew;
  private final Clock clock;
  private final String describe;
  private volatile AccessToken current;

  OAuthCredentials(TokenSource endpoint, Duration skew, Clock clock, String describe) {
    this.endpoint = endpoint;
    this.skew = skew;
    this.clock = clock;
    this.describe = describe;
  }

  @Override
  public Optional<String> authorization() {
    AccessToken token = current;
    if (token == null || due(token)) {
      token = renew(token);
    }
    return Optional.of(token.header());
  }

  @Override
  public boolean renewAfterUnauthorized(String refused) {
    AccessToken token = current;
    if (token != null && !token.header().equals(refused)) {
      return true; // another thread has renewed it already
    }
    LOG.info("The FHIR server refused the access token for {}; asking for a new one", describe);
    renew(token);
    return true;
  }

  private synchronized AccessToken renew(AccessToken seen) {
    AccessToken latest = current;
    if (latest != null && latest != seen && !due(latest)) {
      return latest;
    }
    current = null;
    Instant asked = clock.instant();
    TokenSource.Issued issued = endpoint.request();
    Optional<Instant> renewAt =
        issued
            .lifetime()
            .map(
                lifetime -> {
                  Duration margin =
                      skew.compareTo(lifetime.dividedBy(2)) < 0 ? skew : lifetime.dividedBy(2);
                  return asked.plus(lifetime).minus(margin);
                });
    AccessToken fresh = new AccessToken(issued.token(), renewAt);
    current = fresh;
    if (latest == null && seen == null) {
      LOG.info(
          "Obtained an access token for {}{}",
          describe,
          issued.lifetime().map(l -> ", valid " + l.toSeconds() + " s").orElse(""));
    } else {
      LOG.debug("Renewed the access token for {}", describe);
    }
    return fresh;
  }

  private boolean due(AccessToken token) {
    return token.renewAt().map(at -> !clock.instant().isBefore(at)).orElse(false);
  }
}

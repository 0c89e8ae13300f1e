package io.fhirstream.source;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the FHIR server answers, for the readiness probe: one {@code GET metadata} (one attempt,
 * the source's credentials), its result reused for {@link #REUSE} so that probes, however frequent,
 * cost the server at most one small request that often.
 */
final class OriginHealth {
  static final Duration REUSE = Duration.ofSeconds(15);

  private final FhirHttpClient http;
  private final Clock clock;
  private Instant checked;
  private Optional<String> problem = Optional.empty();

  OriginHealth(FhirHttpClient http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  synchronized Optional<String> problem() {
    Instant now = clock.instant();
    if (checked == null || !now.isBefore(checked.plus(REUSE))) {
      problem = ask();
      checked = now;
    }
    return problem;
  }

  private Optional<String> ask() {
    try {
      http.get(URI.create(http.base() + "/metadata"));
      return Optional.empty();
    } catch (RetriableException | PipelineException e) {
      // Our messages name the request and the status, never a credential or a resource.
      return Optional.of("GET metadata failed: " + e.getMessage());
    }
  }
}

package io.fhirstream.source.capture;

import io.fhirstream.source.http.FhirHttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * What a crawler reads and how: one resource type on one server.
 *
 * @param pageSize the {@code _count} asked for
 * @param safetyLag how far behind the server's clock a window ends
 */
public record CrawlTarget(
    FhirHttpClient http, String resourceType, int pageSize, Duration safetyLag, Clock clock) {}

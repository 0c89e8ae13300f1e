package io.fhirstream.source.http;

import java.time.Instant;

/**
 * A page as the server sent it.
 *
 * @param body the raw response body
 * @param serverDate the server's {@code Date} header, or null when absent or unparseable
 */
public record FhirResponse(byte[] body, Instant serverDate) {}

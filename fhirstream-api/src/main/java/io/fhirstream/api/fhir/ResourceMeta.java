package io.fhirstream.api.fhir;

import java.time.Instant;

/**
 * The few fields of a resource the pipeline routes and guards on.
 *
 * @param resourceType {@code resourceType}; never null once read
 * @param id {@code id}, or null when the resource has none
 * @param versionId {@code meta.versionId}, or null
 * @param lastUpdated {@code meta.lastUpdated}, or null
 */
public record ResourceMeta(String resourceType, String id, String versionId, Instant lastUpdated) {}

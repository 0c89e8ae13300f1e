package io.fhirstream.sinks.sqlite;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One row of a SQLite store: the current version of a resource, or its tombstone.
 *
 * @param resourceType the table it was read from
 * @param id the resource's logical id
 * @param versionId {@code meta.versionId} as received, or null
 * @param lastUpdated {@code meta.lastUpdated}, or null
 * @param deleted whether this is a tombstone
 * @param resource the resource JSON exactly as received, or null for a tombstone
 */
public record StoredDocument(
    String resourceType,
    String id,
    String versionId,
    Instant lastUpdated,
    boolean deleted,
    String resource) {

  /** The resource JSON as the UTF-8 bytes that were written, or null for a tombstone. */
  public byte[] resourceBytes() {
    return resource == null ? null : resource.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // Never print the resource: it is patient data.
    return "StoredDocument["
        + resourceType
        + "/"
        + id
        + "/_history/"
        + versionId
        + (deleted ? ", deleted" : "")
        + "]";
  }
}

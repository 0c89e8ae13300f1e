package io.fhirstream.api.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What a store holds for one resource: its current version, or its tombstone.
 *
 * @param resourceType the resource type
 * @param id the resource's logical id
 * @param versionId {@code meta.versionId} as received, or null
 * @param lastUpdated {@code meta.lastUpdated}, or null
 * @param deleted whether this is a tombstone
 * @param resource the resource JSON, or null for a tombstone or when read without bodies; a store
 *     that keeps resources as bytes returns them exactly as received, one that keeps them parsed
 *     (Cosmos DB, MongoDB) returns the same JSON re-serialised
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

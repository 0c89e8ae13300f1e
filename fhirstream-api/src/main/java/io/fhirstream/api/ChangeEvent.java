package io.fhirstream.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of one FHIR resource, or its deletion, as captured from the FHIR server.
 *
 * <p>The body is the resource JSON exactly as the server sent it; it is never re-serialised, so a
 * store holds the same bytes the server returned. A deletion has no body.
 *
 * @param resourceType the FHIR resource type, e.g. {@code Patient}
 * @param id the logical id of the resource (the Kafka record key)
 * @param versionId the server's {@code meta.versionId}; may be {@code null} when the server sends
 *     none
 * @param lastUpdated the server's {@code meta.lastUpdated}; may be {@code null} when the server
 *     sends none
 * @param deleted whether this version is a deletion (a Kafka tombstone)
 * @param body the resource JSON as received, or {@code null} for a deletion
 * @param origin where the event was read from the event hub, or {@code null} before it was
 *     published
 */
public record ChangeEvent(
    String resourceType,
    String id,
    String versionId,
    Instant lastUpdated,
    boolean deleted,
    byte[] body,
    EventOrigin origin) {

  public ChangeEvent {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(id, "id");
    if (deleted != (body == null)) {
      throw new IllegalArgumentException("a deletion has no body and an upsert has one");
    }
  }

  /** A created or updated resource version. */
  public static ChangeEvent upsert(
      String resourceType, String id, String versionId, Instant lastUpdated, byte[] body) {
    return new ChangeEvent(resourceType, id, versionId, lastUpdated, false, body, null);
  }

  /** A deletion, which the store keeps as a tombstone with its version. */
  public static ChangeEvent delete(
      String resourceType, String id, String versionId, Instant lastUpdated) {
    return new ChangeEvent(resourceType, id, versionId, lastUpdated, true, null, null);
  }

  /** The same event, remembering where it was read from the event hub. */
  public ChangeEvent withOrigin(EventOrigin newOrigin) {
    return new ChangeEvent(resourceType, id, versionId, lastUpdated, deleted, body, newOrigin);
  }

  /** {@code Type/id/_history/version}: the CloudEvents id and a log-safe name (ids are not PHI). */
  public String versionedReference() {
    return resourceType + "/" + id + "/_history/" + (versionId == null ? "" : versionId);
  }

  @Override
  public String toString() {
    // Never print the body: it is patient data.
    return "ChangeEvent[" + versionedReference() + (deleted ? ", deleted" : "") + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChangeEvent other
        && deleted == other.deleted
        && resourceType.equals(other.resourceType)
        && id.equals(other.id)
        && Objects.equals(versionId, other.versionId)
        && Objects.equals(lastUpdated, other.lastUpdated)
        && java.util.Arrays.equals(body, other.body)
        && Objects.equals(origin, other.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(resourceType, id, versionId, lastUpdated, deleted, origin)
        + 31 * java.util.Arrays.hashCode(body);
  }
}

package io.fhirstream.api.results;

import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import java.util.Objects;

/**
 * The version of a resource that a view's rows were made from; a store keeps it beside the rows so
 * that an older version arriving late can never replace the rows of a newer one ({@link
 * VersionOrder}, as for documents).
 *
 * @param resourceKey the resource's key, {@code Type/id}
 * @param versionId its {@code meta.versionId}, or null
 * @param lastUpdated its {@code meta.lastUpdated}, or null
 * @param deleted whether this version is the resource's deletion (it makes no rows)
 */
public record SourceVersion(
    String resourceKey, String versionId, Instant lastUpdated, boolean deleted) {

  public SourceVersion {
    Objects.requireNonNull(resourceKey, "resourceKey");
  }

  /** Whether this version must replace rows made from {@code stored}. */
  public boolean isNewerThan(SourceVersion stored) {
    return VersionOrder.isNewer(versionId, lastUpdated, stored.versionId, stored.lastUpdated);
  }

  /**
   * Whether {@code other} is this very version of the resource (same version id and lastUpdated): a
   * store that writes a resource's rows in steps uses it to finish a replacement an outage
   * interrupted, when the same version is delivered again.
   */
  public boolean isSameVersionAs(SourceVersion other) {
    return Objects.equals(versionId, other.versionId)
        && Objects.equals(lastUpdated, other.lastUpdated);
  }
}

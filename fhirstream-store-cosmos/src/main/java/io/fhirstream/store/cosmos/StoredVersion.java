package io.fhirstream.store.cosmos;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Instant;

/**
 * What the container holds for one id, as far as the version guard needs it.
 *
 * @param versionId the stored version id, or null when unknown
 * @param lastUpdated the stored last-updated instant, or null when unknown
 * @param deleted whether the item is a tombstone
 * @param etag the item's etag, the precondition of a replace
 */
record StoredVersion(String versionId, Instant lastUpdated, boolean deleted, String etag) {

  /** What to do with an incoming event given what is stored (null: nothing stored). */
  enum Action {
    CREATE,
    REPLACE,
    SKIP
  }

  /** The version guard: create when absent, replace only when strictly newer, else skip. */
  static Action decide(ChangeEvent incoming, StoredVersion stored) {
    if (stored == null) {
      return Action.CREATE;
    }
    return VersionOrder.isNewer(
            incoming.versionId(), incoming.lastUpdated(), stored.versionId, stored.lastUpdated)
        ? Action.REPLACE
        : Action.SKIP;
  }
}

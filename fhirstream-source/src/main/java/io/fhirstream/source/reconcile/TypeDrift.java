package io.fhirstream.source.reconcile;

import java.util.List;

/**
 * How one resource type's store differs from the FHIR server. Ids are kept for {@code --repair} and
 * for an explicit listing; they are resource ids, not PHI, but the report prints counts unless
 * asked.
 *
 * @param onServer current (not deleted) resources on the server
 * @param inStore current (not deleted) resources in the store
 * @param missing on the server, absent from the store or a tombstone there: repaired
 * @param stale in both, the store's version older than the server's: repaired
 * @param deleted deleted on the server, still current in the store: repaired with the deletion
 * @param ahead the store's version newer than the server's: not repairable through the version
 *     guard (a restored server, a corrupted store); reported for a person to decide
 * @param unknown current in the store, never seen by the server: reported, not repaired
 */
public record TypeDrift(
    String type,
    long onServer,
    long inStore,
    List<String> missing,
    List<String> stale,
    List<String> deleted,
    List<String> ahead,
    List<String> unknown) {

  public TypeDrift {
    missing = List.copyOf(missing);
    stale = List.copyOf(stale);
    deleted = List.copyOf(deleted);
    ahead = List.copyOf(ahead);
    unknown = List.copyOf(unknown);
  }

  /** Whether the store equals the server for this type. */
  public boolean inSync() {
    return drifted() == 0;
  }

  /** Resources that differ, in any way. */
  public int drifted() {
    return missing.size() + stale.size() + deleted.size() + ahead.size() + unknown.size();
  }

  /** Resources {@code --repair} re-publishes. */
  public int repairable() {
    return missing.size() + stale.size() + deleted.size();
  }
}

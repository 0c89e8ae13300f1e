package io.fhirstream.api;

import java.time.Instant;

/**
 * The version guard every store applies: is an incoming version newer than the stored one?
 *
 * <p>FHIR servers number versions with integers on most implementations, but the specification only
 * promises an opaque string. So: compare numerically when both version ids are integers, otherwise
 * by {@code meta.lastUpdated}. Arrival order and etags are never trusted.
 */
public final class VersionOrder {
  private VersionOrder() {}

  /**
   * @return {@code true} if the incoming version must replace the stored one; {@code false} for the
   *     same version again or an older one
   */
  public static boolean isNewer(
      String incomingVersion,
      Instant incomingLastUpdated,
      String storedVersion,
      Instant storedLastUpdated) {
    Long incomingNumber = numeric(incomingVersion);
    Long storedNumber = numeric(storedVersion);
    if (incomingNumber != null && storedNumber != null) {
      return incomingNumber > storedNumber;
    }
    if (incomingLastUpdated != null && storedLastUpdated != null) {
      return incomingLastUpdated.isAfter(storedLastUpdated);
    }
    // No order can be established: keep what is stored. Applying "anything different" would let a
    // replayed old version overwrite a newer one, the one thing the guard exists to prevent.
    return false;
  }

  /** Whether event {@code a} is newer than event {@code b} of the same resource. */
  public static boolean isNewer(ChangeEvent a, ChangeEvent b) {
    return isNewer(a.versionId(), a.lastUpdated(), b.versionId(), b.lastUpdated());
  }

  /** The version id as a number when it is a plain non-negative integer, else {@code null}. */
  public static Long numeric(String versionId) {
    if (versionId == null || versionId.isEmpty() || versionId.length() > 18) {
      return null;
    }
    for (int i = 0; i < versionId.length(); i++) {
      char c = versionId.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return Long.parseLong(versionId);
  }
}

package io.fhirstream.store.sqlite;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Instant;

/**
 * One event as the columns of its table row. The version guard compares {@code versionNum}, then
 * {@code (lastUpdatedMs, lastUpdatedNanos)}, which orders exactly as {@link Instant} does.
 *
 * @param resource the body as received (valid UTF-8), or null for a deletion
 */
record DocumentRow(
    String id,
    String versionId,
    Long versionNum,
    String lastUpdated,
    Long lastUpdatedMs,
    Long lastUpdatedNanos,
    boolean deleted,
    byte[] resource) {

  /**
   * @throws BadEventException if the body is not UTF-8 (it would not read back as it was written)
   *     or the instant is out of range
   */
  static DocumentRow of(ChangeEvent event) throws BadEventException {
    Instant lastUpdated = event.lastUpdated();
    Long millis = null;
    Long nanos = null;
    if (lastUpdated != null) {
      try {
        millis = lastUpdated.toEpochMilli();
      } catch (ArithmeticException e) {
        throw new BadEventException("meta.lastUpdated is out of the range the store can hold");
      }
      // Instant keeps seconds floored and nanos non-negative, so this is the floor remainder.
      nanos = (long) (lastUpdated.getNano() % 1_000_000);
    }
    if (!event.deleted() && !Utf8.isValid(event.body())) {
      throw new BadEventException("resource body is not valid UTF-8");
    }
    return new DocumentRow(
        event.id(),
        event.versionId(),
        VersionOrder.numeric(event.versionId()),
        lastUpdated == null ? null : lastUpdated.toString(),
        millis,
        nanos,
        event.deleted(),
        event.body());
  }
}

package io.fhirstream.store.postgres;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One event as the column values of its row.
 *
 * @param versionNum the version id as a number when it is one, for the guard
 * @param lastUpdated the instant truncated to microseconds (timestamptz's precision), ISO-8601
 * @param lastUpdatedNanos the nanoseconds the truncation dropped (0–999)
 */
record JsonbRow(ChangeEvent event, Long versionNum, String lastUpdated, Integer lastUpdatedNanos) {

  /** Years that both FHIR's instant and PostgreSQL's ISO-8601 input take. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  /**
   * The row for an event, or the reason the store cannot hold it: text columns cannot hold a NUL
   * character, and timestamptz reads only years 1–9999 in ISO form.
   */
  static JsonbRow of(ChangeEvent event) throws BadEventException {
    if (event.id().indexOf('\0') >= 0
        || (event.versionId() != null && event.versionId().indexOf('\0') >= 0)) {
      throw new BadEventException(
          "id or meta.versionId holds a NUL character, which text cannot hold");
    }
    Instant instant = event.lastUpdated();
    if (instant == null) {
      return new JsonbRow(event, VersionOrder.numeric(event.versionId()), null, null);
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new BadEventException("meta.lastUpdated is outside the years 1 to 9999");
    }
    Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
    return new JsonbRow(
        event,
        VersionOrder.numeric(event.versionId()),
        micros.toString(),
        instant.getNano() % 1000);
  }
}

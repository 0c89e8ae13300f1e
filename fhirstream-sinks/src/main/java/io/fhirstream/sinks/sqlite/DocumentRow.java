package io.fhirstream.sinks.sqlite;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event as the columns of its table row. The version guard compares {@code versionNum}, then
 * {@code (lastUpdatedMs, lastUpdatedNanos)}, which orders exactly as {@link Instant} does.
 */
record DocumentRow(
    String id,
    String versionId,
    Long versionNum,
    String lastUpdated,
    Long lastUpdatedMs,
    Long lastUpdatedNanos,
    boolean deleted,
    String resource) {

  /** A decoder that refuses malformed UTF-8 rather than replacing it, so bodies round-trip. */
  static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * @param utf8 a decoder from {@link #strictUtf8()}; not thread-safe, so one per sink
   * @throws BadEventException if the body is not UTF-8 or the instant is out of SQLite's range
   */
  static DocumentRow of(ChangeEvent event, CharsetDecoder utf8) throws BadEventException {
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
    String resource = null;
    if (!event.deleted()) {
      try {
        resource = utf8.decode(ByteBuffer.wrap(event.body())).toString();
      } catch (CharacterCodingException e) {
        throw new BadEventException("resource body is not valid UTF-8");
      }
    }
    return new DocumentRow(
        event.id(),
        event.versionId(),
        VersionOrder.numeric(event.versionId()),
        lastUpdated == null ? null : lastUpdated.toString(),
        millis,
        nanos,
        event.deleted(),
        resource);
  }
}

package io.fhirstream.store.mongodb;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import java.util.regex.Pattern;
import org.bson.BsonBinaryWriter;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;

/**
 * The document a store keeps per resource, in the collection named after its type:
 *
 * <pre>
 * { _id: "&lt;FHIR id&gt;",
 *   versionId: "3",                 meta.versionId as received, or null
 *   versionNumber: NumberLong(3),   the same as a number when it is one, else null (the guard)
 *   lastUpdated: ISODate(...),      meta.lastUpdated to the millisecond, or null (for queries)
 *   lastUpdatedSeconds: NumberLong, lastUpdatedNanos: 123456789,   exact, for the guard
 *   deleted: false,
 *   resource: { ...the FHIR JSON, keys escaped by FieldNames... } }   absent in a tombstone
 * </pre>
 *
 * The fields are written straight into BSON bytes, the resource token by token from its JSON.
 */
final class StoredLayout {
  static final String ID = "_id";
  static final String VERSION_ID = "versionId";
  static final String VERSION_NUMBER = "versionNumber";
  static final String LAST_UPDATED = "lastUpdated";
  static final String LAST_UPDATED_SECONDS = "lastUpdatedSeconds";
  static final String LAST_UPDATED_NANOS = "lastUpdatedNanos";
  static final String DELETED = "deleted";
  static final String RESOURCE = "resource";

  /** MongoDB's largest document (16 MiB); the flavours' own lower limits surface as refusals. */
  static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

  /** FHIR resource type names; nothing else may name a collection ({@code system.*}, {@code $}). */
  private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]{0,63}");

  private StoredLayout() {}

  /** Whether {@code resourceType} may name a collection: {@code [A-Z][A-Za-z]{0,63}}. */
  static boolean isValidCollectionName(String resourceType) {
    return resourceType != null && TYPE_NAME.matcher(resourceType).matches();
  }

  /**
   * The stored document for an event.
   *
   * @throws BadEventException when the event cannot be stored as it is (see {@link JsonToBson})
   */
  static RawBsonDocument toDocument(ChangeEvent event) throws BadEventException {
    Instant lastUpdated = event.lastUpdated();
    Long millis = null;
    if (lastUpdated != null) {
      try {
        millis = lastUpdated.toEpochMilli();
      } catch (ArithmeticException e) {
        throw new BadEventException("meta.lastUpdated is out of the range MongoDB dates hold");
      }
    }
    Long number = VersionOrder.numeric(event.versionId());
    BasicOutputBuffer buffer =
        new BasicOutputBuffer(event.deleted() ? 256 : event.body().length + 512);
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      writer.writeStartDocument();
      writer.writeString(ID, event.id());
      if (event.versionId() == null) {
        writer.writeNull(VERSION_ID);
      } else {
        writer.writeString(VERSION_ID, event.versionId());
      }
      if (number == null) {
        writer.writeNull(VERSION_NUMBER);
      } else {
        writer.writeInt64(VERSION_NUMBER, number);
      }
      if (lastUpdated == null) {
        writer.writeNull(LAST_UPDATED);
        writer.writeNull(LAST_UPDATED_SECONDS);
        writer.writeNull(LAST_UPDATED_NANOS);
      } else {
        writer.writeDateTime(LAST_UPDATED, millis);
        writer.writeInt64(LAST_UPDATED_SECONDS, lastUpdated.getEpochSecond());
        writer.writeInt32(LAST_UPDATED_NANOS, lastUpdated.getNano());
      }
      writer.writeBoolean(DELETED, event.deleted());
      if (!event.deleted()) {
        writer.writeName(RESOURCE);
        JsonToBson.writeResource(event.body(), writer);
      }
      writer.writeEndDocument();
    }
    if (buffer.getPosition() > MAX_DOCUMENT_BYTES) {
      throw new BadEventException(
          "the resource is larger than MongoDB's 16 MiB document limit once stored");
    }
    return new RawBsonDocument(buffer.getInternalBuffer(), 0, buffer.getPosition());
  }
}

package io.fhirstream.store.mongodb;

import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * The documents of the analytics results:
 *
 * <pre>
 * &lt;view&gt;:          { _id: "Patient/1#0", _resource_key: "Patient/1", _row: 0, family: "…", … }
 * view_versions:   { _id: "&lt;view&gt;|Patient/1", view, resourceKey, versionId, versionNumber,
 *                    lastUpdated, lastUpdatedSeconds, lastUpdatedNanos, deleted, pending }
 * view_definitions: { _id: "&lt;view&gt;", columns: [ { name: "family", type: "string" }, … ] }
 * aggregate_results: { _id: "&lt;aggregate&gt;|&lt;id&gt;", aggregate, id, version, deleted, document }
 * </pre>
 *
 * A version document's version fields are those of a resource document ({@link StoredLayout}), so
 * {@link VersionGuard} guards it; {@code pending} is true while its rows are being replaced.
 */
final class ResultLayout {
  static final String RESOURCE_KEY = "_resource_key";
  static final String ROW = "_row";
  static final String PENDING = "pending";

  private ResultLayout() {}

  /**
   * The BSON type a column's values have, by its {@code $type} alias: what a type change is judged
   * by, and what {@code view_definitions} records.
   */
  static String storedType(ColumnType type) {
    return switch (type) {
      case INTEGER -> "long";
      case DECIMAL -> "decimal";
      case BOOLEAN -> "bool";
      case JSON -> "array";
      case TEXT, DATE, DATETIME, TIME -> "string";
    };
  }

  static String rowId(String resourceKey, int row) {
    return resourceKey + "#" + row;
  }

  static String versionId(String view, String resourceKey) {
    return view + "|" + resourceKey;
  }

  static String resultId(String aggregate, String id) {
    return aggregate + "|" + id;
  }

  static BsonDocument row(ViewTable view, String resourceKey, int index, List<Object> values) {
    BsonDocument row =
        new BsonDocument(StoredLayout.ID, new BsonString(rowId(resourceKey, index)))
            .append(RESOURCE_KEY, new BsonString(resourceKey))
            .append(ROW, new BsonInt32(index));
    for (int i = 0; i < values.size(); i++) {
      row.append(view.columns().get(i).name(), bson(values.get(i)));
    }
    return row;
  }

  /**
   * A value as BSON: integers as int64, decimals as decimal128 with their digits and scale (as its
   * exact text where decimal128's 34 digits do not hold it: never rounded), lists as arrays.
   */
  static BsonValue bson(Object value) {
    if (value == null) {
      return BsonNull.VALUE;
    } else if (value instanceof String text) {
      return new BsonString(text);
    } else if (value instanceof Boolean bool) {
      return BsonBoolean.valueOf(bool);
    } else if (value instanceof Integer || value instanceof Long) {
      return new BsonInt64(((Number) value).longValue());
    } else if (value instanceof BigDecimal decimal) {
      try {
        return new BsonDecimal128(new Decimal128(decimal));
      } catch (NumberFormatException tooPrecise) {
        return new BsonString(decimal.toString());
      }
    } else if (value instanceof List<?> list) {
      BsonArray array = new BsonArray(new ArrayList<>(list.size()));
      list.forEach(element -> array.add(bson(element)));
      return array;
    }
    throw new IllegalArgumentException("a view value cannot be a " + value.getClass().getName());
  }

  /** A stored value as the Java value a reader gives back. */
  static Object java(BsonValue value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return switch (value.getBsonType()) {
      case STRING -> value.asString().getValue();
      case BOOLEAN -> value.asBoolean().getValue();
      case INT32 -> (long) value.asInt32().getValue();
      case INT64 -> value.asInt64().getValue();
      case DECIMAL128 -> value.asDecimal128().getValue().bigDecimalValue();
      case DOUBLE -> value.asDouble().getValue();
      case ARRAY -> value.asArray().stream().map(ResultLayout::java).toList();
      default -> value.toString();
    };
  }

  /** The version fields of {@code view_versions}, with {@code pending} as given. */
  static BsonDocument versionFields(String view, SourceVersion version, boolean pending) {
    BsonDocument fields =
        new BsonDocument("view", new BsonString(view))
            .append("resourceKey", new BsonString(version.resourceKey()));
    fields.append(StoredLayout.VERSION_ID, text(version.versionId()));
    Long number = VersionOrder.numeric(version.versionId());
    fields.append(
        StoredLayout.VERSION_NUMBER, number == null ? BsonNull.VALUE : new BsonInt64(number));
    Instant lastUpdated = version.lastUpdated();
    if (lastUpdated == null) {
      fields.append(StoredLayout.LAST_UPDATED, BsonNull.VALUE);
      fields.append(StoredLayout.LAST_UPDATED_SECONDS, BsonNull.VALUE);
      fields.append(StoredLayout.LAST_UPDATED_NANOS, BsonNull.VALUE);
    } else {
      fields.append(StoredLayout.LAST_UPDATED, new BsonDateTime(lastUpdated.toEpochMilli()));
      fields.append(StoredLayout.LAST_UPDATED_SECONDS, new BsonInt64(lastUpdated.getEpochSecond()));
      fields.append(StoredLayout.LAST_UPDATED_NANOS, new BsonInt32(lastUpdated.getNano()));
    }
    fields.append(StoredLayout.DELETED, BsonBoolean.valueOf(version.deleted()));
    fields.append(PENDING, BsonBoolean.valueOf(pending));
    return fields;
  }

  /** A filter matching the version document of exactly this version, while it is pending. */
  static BsonDocument samePendingVersion(SourceVersion version) {
    Instant lastUpdated = version.lastUpdated();
    return new BsonDocument(StoredLayout.VERSION_ID, text(version.versionId()))
        .append(
            StoredLayout.LAST_UPDATED_SECONDS,
            lastUpdated == null ? BsonNull.VALUE : new BsonInt64(lastUpdated.getEpochSecond()))
        .append(
            StoredLayout.LAST_UPDATED_NANOS,
            lastUpdated == null ? BsonNull.VALUE : new BsonInt32(lastUpdated.getNano()))
        .append(PENDING, BsonBoolean.TRUE);
  }

  private static BsonValue text(String text) {
    return text == null ? BsonNull.VALUE : new BsonString(text);
  }
}

package io.fhirstream.analytics.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fhirstream.analytics.view.ViewRow;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a view's topic: key {@code Type/id}, value the rows one version of the resource
 * makes, as JSON:
 *
 * <pre>{@code
 * {"versionId": "3", "lastUpdated": "2024-05-01T10:00:00Z", "deleted": false,
 *  "rows": [["p1", "female", "1987-11-04", ...]]}
 * }</pre>
 *
 * Values in the view's column order: text, numbers (decimals exact), booleans, arrays for
 * collection columns. A deletion, or a version no longer passing the view's {@code where}, has no
 * rows: it removes the resource's rows.
 */
public final class ViewRecords {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  /** Decimals keep the digits the resource gave them ({@code 72.50} stays {@code 72.50}). */
  private static final ObjectMapper READER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .nodeFactory(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private ViewRecords() {}

  /** One version's rows as a record value. */
  public static byte[] encode(
      String versionId, Instant lastUpdated, boolean deleted, List<ViewRow> rows) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rows.size() * 128);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("versionId", versionId);
      json.writeStringField("lastUpdated", lastUpdated == null ? null : lastUpdated.toString());
      json.writeBooleanField("deleted", deleted);
      json.writeArrayFieldStart("rows");
      for (ViewRow row : rows) {
        json.writeStartArray();
        for (Object value : row.values()) {
          write(json, value);
        }
        json.writeEndArray();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void write(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof String text) {
      json.writeString(text);
    } else if (value instanceof Boolean bool) {
      json.writeBoolean(bool);
    } else if (value instanceof BigDecimal decimal) {
      json.writeNumber(decimal);
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof List<?> list) {
      json.writeStartArray();
      for (Object element : list) {
        write(json, element);
      }
      json.writeEndArray();
    } else {
      json.writeString(value.toString());
    }
  }

  /** A decoded record: the version the rows were made from and the rows, typed per column. */
  public record Decoded(SourceVersion version, List<List<Object>> rows) {}

  /**
   * Reads a record back with the Java types the view's columns call for ({@link ColumnType}).
   *
   * @param resourceKey the record's key, {@code Type/id}
   * @throws IllegalArgumentException when the value is not such a record
   */
  public static Decoded decode(String resourceKey, byte[] value, ViewTable table) {
    JsonNode root;
    try {
      root = READER.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a view record of " + table.name(), e);
    }
    String lastUpdated = root.path("lastUpdated").textValue();
    SourceVersion version =
        new SourceVersion(
            resourceKey,
            root.path("versionId").textValue(),
            lastUpdated == null ? null : Instant.parse(lastUpdated),
            root.path("deleted").asBoolean(false));
    List<List<Object>> rows = new ArrayList<>();
    for (JsonNode row : root.path("rows")) {
      List<Object> values = new ArrayList<>(table.columns().size());
      for (int i = 0; i < table.columns().size(); i++) {
        values.add(value(row.get(i), table.columns().get(i).type()));
      }
      rows.add(values);
    }
    return new Decoded(version, rows);
  }

  private static Object value(JsonNode node, ColumnType type) {
    if (node == null || node.isNull()) {
      return null;
    }
    return switch (type) {
      case INTEGER -> node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
      case DECIMAL -> node.decimalValue();
      case BOOLEAN -> node.booleanValue();
      case JSON -> {
        List<Object> list = new ArrayList<>();
        for (JsonNode element : node) {
          list.add(element(element));
        }
        yield list;
      }
      default -> node.asText();
    };
  }

  private static Object element(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToInt() ? (Object) node.intValue() : (Object) node.longValue();
    }
    if (node.isNumber()) {
      return node.decimalValue();
    }
    return node.asText();
  }
}

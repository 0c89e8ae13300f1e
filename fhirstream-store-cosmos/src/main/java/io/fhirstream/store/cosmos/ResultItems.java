package io.fhirstream.store.cosmos;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.results.ColumnType;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The items of the analytics results:
 *
 * <pre>
 * &lt;view&gt;             {id: "Patient%2F1|0", _resource_key: "Patient/1", _row: 0,
 *                     columns: {family: "…", weight: 72.5, given: ["Ann"]}, _exact: {…}}
 * view_versions      {id: "&lt;view&gt;|Patient%2F1", view, resourceKey: "Patient/1", versionId,
 *                     versionNum, lastUpdated, deleted, pending, rows}
 * view_definitions   {id: "&lt;view&gt;", columns: [{name: "family", type: "string"}, …]}
 * aggregate_results  {id: "&lt;aggregate&gt;|&lt;encoded id&gt;", aggregate, resultId, version,
 *                     deleted, document: {…}, _exact: {…}}
 * </pre>
 *
 * A row's values sit under {@code columns} because a view column may well be called {@code id},
 * which is the item's. Cosmos DB holds numbers as doubles, so a number a double would change (more
 * digits than 2^53, or a decimal's scale: {@code 1.50}) is kept as text in {@code _exact}, keyed by
 * its JSON pointer ({@link ExactNumbers}), and put back when read.
 */
final class ResultItems {
  static final String RESOURCE_KEY = "_resource_key";
  static final String ROW = "_row";
  static final String COLUMNS = "columns";
  static final String EXACT = "_exact";

  /** Azure refuses items larger than 2 MB of JSON with 413. */
  static final int MAX_ITEM_BYTES = DocumentLayout.MAX_ITEM_BYTES;

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ResultItems() {}

  /** The JSON type of a column's values: what a type change is judged by. */
  static String storedType(ColumnType type) {
    return switch (type) {
      case INTEGER, DECIMAL -> "number";
      case BOOLEAN -> "boolean";
      case JSON -> "array";
      case TEXT, DATE, DATETIME, TIME -> "string";
    };
  }

  static String rowId(String resourceKey, int row) {
    String suffix = "|" + row;
    return CosmosIds.encode(resourceKey, CosmosIds.MAX_LENGTH - suffix.length()) + suffix;
  }

  static String versionItemId(String view, String resourceKey) {
    String prefix = view + "|";
    return prefix + CosmosIds.encode(resourceKey, CosmosIds.MAX_LENGTH - prefix.length());
  }

  static String resultId(String aggregate, String id) {
    String prefix = aggregate + "|";
    return prefix + CosmosIds.encode(id, CosmosIds.MAX_LENGTH - prefix.length());
  }

  static ObjectNode row(ViewTable view, String resourceKey, int index, List<Object> values) {
    ObjectNode item = NODES.objectNode();
    item.put("id", rowId(resourceKey, index));
    item.put(RESOURCE_KEY, resourceKey);
    item.put(ROW, index);
    ObjectNode columns = item.putObject(COLUMNS);
    for (int i = 0; i < values.size(); i++) {
      columns.set(view.columns().get(i).name(), node(values.get(i)));
    }
    keepExactNumbers(item, columns);
    return item;
  }

  private static JsonNode node(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof String text) {
      return NODES.textNode(text);
    } else if (value instanceof Boolean bool) {
      return NODES.booleanNode(bool);
    } else if (value instanceof Integer || value instanceof Long) {
      return NODES.numberNode(((Number) value).longValue());
    } else if (value instanceof BigDecimal decimal) {
      return NODES.numberNode(decimal);
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode(list.size());
      list.forEach(element -> array.add(node(element)));
      return array;
    }
    throw new IllegalArgumentException("a view value cannot be a " + value.getClass().getName());
  }

  /** The row's values as Java values, in the order of {@code columns}, exact numbers restored. */
  static List<Object> values(ObjectNode item, List<String> columns) {
    ObjectNode stored =
        item.path(COLUMNS) instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
    restoreExactNumbers(stored, item.path(EXACT));
    List<Object> values = new ArrayList<>(columns.size());
    for (String column : columns) {
      values.add(java(stored.get(column)));
    }
    return values;
  }

  private static Object java(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    } else if (node.isTextual()) {
      return node.asText();
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(element -> list.add(java(element)));
      return list;
    } else if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    } else if (node.isNumber()) {
      return node.isFloatingPointNumber() && !node.isBigDecimal()
          ? shortest(node.doubleValue())
          : node.decimalValue();
    }
    return node.toString();
  }

  /** The version item of a view's rows of one resource; {@code rows} bounds their row numbers. */
  static ObjectNode version(String view, SourceVersion version, boolean pending, int rows) {
    ObjectNode item = NODES.objectNode();
    item.put("id", versionItemId(view, version.resourceKey()));
    item.put("view", view);
    item.put("resourceKey", version.resourceKey());
    item.put("versionId", version.versionId());
    Long number = VersionOrder.numeric(version.versionId());
    if (number == null) {
      item.putNull("versionNum");
    } else {
      item.put("versionNum", number);
    }
    item.put(
        "lastUpdated", version.lastUpdated() == null ? null : version.lastUpdated().toString());
    item.put("deleted", version.deleted());
    item.put("pending", pending);
    item.put("rows", rows);
    return item;
  }

  /** The version a stored version item holds. */
  static SourceVersion storedVersion(ObjectNode item) {
    JsonNode lastUpdated = item.path("lastUpdated");
    return new SourceVersion(
        item.path("resourceKey").asText(),
        item.path("versionId").isTextual() ? item.path("versionId").asText() : null,
        lastUpdated.isTextual() ? Instant.parse(lastUpdated.asText()) : null,
        item.path("deleted").asBoolean(false));
  }

  /**
   * The item of an aggregate's result.
   *
   * @throws PipelineException when the document is not a JSON object or exceeds Cosmos DB's 2 MB
   */
  static ObjectNode result(String aggregate, String id, long version, byte[] document) {
    ObjectNode item = NODES.objectNode();
    item.put("id", resultId(aggregate, id));
    item.put("aggregate", aggregate);
    item.put("resultId", id);
    item.put("version", version);
    item.put("deleted", document == null);
    if (document != null) {
      JsonNode parsed;
      try {
        parsed = JSON.readTree(document);
      } catch (IOException e) {
        parsed = null;
      }
      if (!(parsed instanceof ObjectNode object)) {
        throw refused(aggregate, id, "it is not a JSON object");
      }
      item.set("document", object);
      keepExactNumbers(item, object);
      int size = size(item);
      if (size > MAX_ITEM_BYTES) {
        throw refused(
            aggregate, id, "it is " + size + " bytes of JSON; Cosmos DB refuses items over 2 MB");
      }
    }
    return item;
  }

  private static PipelineException refused(String aggregate, String id, String why) {
    return new PipelineException(
        "the result "
            + id
            + " of aggregate "
            + aggregate
            + " cannot be stored in Cosmos DB: "
            + why);
  }

  /** The result's JSON as written: numbers with their digits and scale. */
  static byte[] document(ObjectNode item) {
    JsonNode stored = item.get("document");
    ObjectNode document = stored instanceof ObjectNode o ? o.deepCopy() : NODES.objectNode();
    shortestFractions(document);
    restoreExactNumbers(document, item.path(EXACT));
    try {
      return JSON.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  private static void keepExactNumbers(ObjectNode item, ObjectNode values) {
    ObjectNode exact = NODES.objectNode();
    ExactNumbers.collect(values, "", exact);
    if (!exact.isEmpty()) {
      item.set(EXACT, exact);
    }
  }

  private static void restoreExactNumbers(ObjectNode values, JsonNode exact) {
    for (Iterator<Map.Entry<String, JsonNode>> it = exact.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> number = it.next();
      JsonPointer pointer = JsonPointer.compile(number.getKey());
      BigDecimal value = new BigDecimal(number.getValue().asText());
      JsonNode written =
          number.getValue().asText().matches("-?\\d+")
              ? NODES.numberNode(value.toBigIntegerExact())
              : NODES.numberNode(value);
      JsonNode parent = values.at(pointer.head());
      if (parent instanceof ObjectNode object) {
        object.set(pointer.last().getMatchingProperty(), written);
      } else if (parent instanceof ArrayNode array) {
        array.set(pointer.last().getMatchingIndex(), written);
      }
    }
  }

  /**
   * Each fraction as its double's shortest text, the form {@link ExactNumbers#survivesDouble}
   * compared it in (Jackson would write {@code 1e-4} back as {@code 1.0E-4}, a digit never
   * written).
   */
  private static void shortestFractions(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isFloatingPointNumber()) {
          field.setValue(NODES.numberNode(shortest(field.getValue().doubleValue())));
        } else {
          shortestFractions(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isFloatingPointNumber()) {
          array.set(i, NODES.numberNode(shortest(array.get(i).doubleValue())));
        } else {
          shortestFractions(array.get(i));
        }
      }
    }
  }

  private static BigDecimal shortest(double value) {
    return new BigDecimal(Double.toString(value)).stripTrailingZeros();
  }

  static int size(ObjectNode item) {
    try {
      return JSON.writeValueAsBytes(item).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }
}

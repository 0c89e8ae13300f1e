package io.fhirstream.store.cosmos;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.fhirstream.api.store.StoredDocument;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Undoes {@link DocumentLayout}: from an item as Cosmos DB gives it back to the resource JSON that
 * was written, and from an item (or the few fields a scan projects) to the version it holds.
 */
final class StoredItems {
  /** The properties Cosmos DB adds to every item. */
  private static final List<String> SYSTEM_PROPERTIES =
      List.of("_rid", "_self", "_etag", "_attachments", "_ts");

  /**
   * What a scan projects of an item: ours, or the FHIR meta of an item another tool wrote. The
   * names match {@link #versionOnly}.
   */
  static final String VERSION_FIELDS =
      "c.id, c._fhirstream.versionId, c._fhirstream.lastUpdated, c._fhirstream.deleted,"
          + " c.meta.versionId AS metaVersionId, c.meta.lastUpdated AS metaLastUpdated";

  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredItems() {}

  /**
   * The stored document of a whole item.
   *
   * @param partitionKeyProperty the property the writer copied the id into, removed like ours
   */
  static StoredDocument document(
      String resourceType, ObjectNode item, String partitionKeyProperty) {
    StoredVersion version = DocumentLayout.storedVersion(item);
    String id = item.path("id").asText();
    String resource = version.deleted() ? null : resource(item, partitionKeyProperty);
    return new StoredDocument(
        resourceType, id, version.versionId(), version.lastUpdated(), version.deleted(), resource);
  }

  /** The stored document of a row of {@link #VERSION_FIELDS}, without the resource. */
  static StoredDocument versionOnly(String resourceType, ObjectNode row) {
    ObjectNode item = JSON.createObjectNode();
    // Shaped as the item it came from, so the version is read by the same rule as the guard's.
    if (row.has("deleted")) {
      ObjectNode ours = item.putObject(DocumentLayout.OURS);
      ours.set("versionId", row.get("versionId"));
      ours.set("lastUpdated", row.get("lastUpdated"));
      ours.set("deleted", row.get("deleted"));
    } else {
      ObjectNode meta = item.putObject("meta");
      meta.set("versionId", row.get("metaVersionId"));
      meta.set("lastUpdated", row.get("metaLastUpdated"));
    }
    StoredVersion version = DocumentLayout.storedVersion(item);
    return new StoredDocument(
        resourceType,
        row.path("id").asText(),
        version.versionId(),
        version.lastUpdated(),
        version.deleted(),
        null);
  }

  /**
   * The resource JSON of a live item: our property, Cosmos DB's and the copied partition key
   * removed, the body's own id put back, and every number as written: those {@link ExactNumbers}
   * kept as text, the others (which a double holds exactly) in their shortest form.
   */
  static String resource(ObjectNode item, String partitionKeyProperty) {
    ObjectNode resource = item.deepCopy();
    JsonNode ours = resource.remove(DocumentLayout.OURS);
    resource.remove(SYSTEM_PROPERTIES);
    if (!"id".equals(partitionKeyProperty)) {
      resource.remove(partitionKeyProperty);
    }
    shortestDecimals(resource);
    if (ours != null) {
      if (ours.has("bodyId")) {
        resource.set("id", ours.get("bodyId"));
      }
      Iterator<Map.Entry<String, JsonNode>> exact = ours.path("decimals").fields();
      while (exact.hasNext()) {
        Map.Entry<String, JsonNode> number = exact.next();
        replace(resource, JsonPointer.compile(number.getKey()), raw(number.getValue().asText()));
      }
    }
    try {
      return JSON.writeValueAsString(resource);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /**
   * Writes each fraction as the shortest text of its double, the form {@link
   * ExactNumbers#survivesDouble} compared it in: {@code 1e-7} is kept as {@code 1E-7}, where
   * Jackson would print {@code 1.0E-7}, a digit of precision that was never written.
   */
  private static void shortestDecimals(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isFloatingPointNumber()) {
          field.setValue(shortest(field.getValue()));
        } else {
          shortestDecimals(field.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isFloatingPointNumber()) {
          array.set(i, shortest(array.get(i)));
        } else {
          shortestDecimals(array.get(i));
        }
      }
    }
  }

  private static JsonNode shortest(JsonNode number) {
    double value = number.doubleValue();
    if (Double.isInfinite(value) || Double.isNaN(value)) {
      return number;
    }
    return raw(new BigDecimal(Double.toString(value)).stripTrailingZeros().toString());
  }

  /** A number written as the given text, which a numeric node would reformat. */
  private static JsonNode raw(String text) {
    return JsonNodeFactory.instance.rawValueNode(new RawValue(text));
  }

  private static void replace(ObjectNode root, JsonPointer pointer, JsonNode value) {
    JsonNode parent = root.at(pointer.head());
    if (parent instanceof ObjectNode object) {
      object.set(pointer.last().getMatchingProperty(), value);
    } else if (parent instanceof ArrayNode array) {
      array.set(pointer.last().getMatchingIndex(), value);
    }
  }
}

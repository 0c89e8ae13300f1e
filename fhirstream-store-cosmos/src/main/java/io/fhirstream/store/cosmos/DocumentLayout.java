package io.fhirstream.store.cosmos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How a resource version is laid out as a Cosmos DB item: the FHIR resource JSON itself (its {@code
 * id} is the item id) plus one object of ours, {@value #OURS}:
 *
 * <pre>
 * "_fhirstream": {"versionId": "3", "versionNum": 3, "lastUpdated": "2024-05-01T08:03:00Z",
 *                 "deleted": false}
 * </pre>
 *
 * <p>Why that name cannot clash: FHIR JSON only uses a leading underscore for a primitive's
 * extensions, as {@code _<element>} beside an element of the resource, and element names are
 * defined by the FHIR specification alone (everything else goes into {@code extension}); no
 * resource has an element called {@code fhirstream}. Cosmos DB's own properties ({@code _rid,
 * _self, _etag, _attachments, _ts}) are a fixed, different set.
 *
 * <p>Two fields appear only when needed to give the resource back exactly: {@code decimals}, the
 * text of numbers a double would change (see {@link ExactNumbers}), and {@code bodyId}, the body's
 * own id when it differed from the event's key (the item id is always the key).
 *
 * <p>A deletion is a tombstone: the id (and the partition key property) and our object with {@code
 * "deleted": true}, no resource body, and a {@code ttl} when tombstones expire.
 */
final class DocumentLayout {
  /** The one property of ours in every item. */
  static final String OURS = "_fhirstream";

  /** Azure refuses items larger than 2 MB (2,097,152 bytes of JSON) with 413. */
  static final int MAX_ITEM_BYTES = 2 * 1024 * 1024;

  /** Decimals keep their written scale, so {@link ExactNumbers} can see {@code 150.0}. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private final String partitionKeyProperty;
  private final Integer tombstoneTtlSeconds;

  DocumentLayout(String partitionKeyProperty, Duration tombstoneTtl) {
    this.partitionKeyProperty = partitionKeyProperty;
    this.tombstoneTtlSeconds =
        tombstoneTtl.isZero() ? null : (int) Math.min(Integer.MAX_VALUE, tombstoneTtl.toSeconds());
  }

  /**
   * The item for an event.
   *
   * @throws BadEventException when the body is not a JSON object with the event's id, or the item
   *     would exceed Cosmos DB's 2 MB limit
   */
  ObjectNode item(ChangeEvent event) throws BadEventException {
    ObjectNode item;
    ObjectNode ours = versionFields(event);
    if (event.deleted()) {
      item = JSON.createObjectNode().put("id", event.id());
      if (tombstoneTtlSeconds != null) {
        item.put("ttl", tombstoneTtlSeconds);
      }
    } else {
      item = resource(event);
      ObjectNode decimals = JSON.createObjectNode();
      ExactNumbers.collect(item, "", decimals);
      if (!decimals.isEmpty()) {
        ours.set("decimals", decimals);
      }
      JsonNode bodyId = item.get("id");
      if (!event.id().equals(bodyId.asText())) {
        // The item id must be the event's key; keep what the body said, so nothing is lost.
        ours.set("bodyId", bodyId);
        item.put("id", event.id());
      }
    }
    if (!"id".equals(partitionKeyProperty)) {
      if (item.has(partitionKeyProperty)) {
        throw new BadEventException(
            "the resource has a property '"
                + partitionKeyProperty
                + "', which "
                + CosmosStoreConfig.PARTITION_KEY_PATH
                + " reserves for the partition key; choose a path no FHIR resource uses");
      }
      item.put(partitionKeyProperty, event.id());
    }
    item.set(OURS, ours);
    int size = sizeOf(item);
    if (size > MAX_ITEM_BYTES) {
      throw new BadEventException(
          "the item is "
              + size
              + " bytes of JSON; Cosmos DB refuses items over 2 MB ("
              + MAX_ITEM_BYTES
              + " bytes)");
    }
    return item;
  }

  private static ObjectNode versionFields(ChangeEvent event) {
    ObjectNode ours = JSON.createObjectNode();
    ours.put("versionId", event.versionId());
    Long number = VersionOrder.numeric(event.versionId());
    if (number == null) {
      ours.putNull("versionNum");
    } else {
      ours.put("versionNum", number);
    }
    ours.put("lastUpdated", event.lastUpdated() == null ? null : event.lastUpdated().toString());
    ours.put("deleted", event.deleted());
    return ours;
  }

  private static ObjectNode resource(ChangeEvent event) throws BadEventException {
    JsonNode parsed;
    try {
      parsed = JSON.readTree(event.body());
    } catch (IOException e) {
      throw new BadEventException("the body is not valid JSON");
    }
    if (!(parsed instanceof ObjectNode resource)) {
      throw new BadEventException("the body is not a JSON object");
    }
    if (!resource.hasNonNull("id") || !resource.get("id").isValueNode()) {
      throw new BadEventException("the body has no id");
    }
    if (resource.has(OURS)) {
      throw new BadEventException("the body has a property " + OURS + ", which the store reserves");
    }
    return resource;
  }

  private static int sizeOf(ObjectNode item) {
    try {
      return JSON.writeValueAsBytes(item).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
  }

  /**
   * The version an item holds. An item without our object (written by another tool) is judged by
   * its FHIR {@code meta}, so a container loaded elsewhere is still guarded.
   */
  static StoredVersion storedVersion(JsonNode item) {
    String etag = text(item.get("_etag"));
    JsonNode ours = item.get(OURS);
    if (ours instanceof ObjectNode) {
      return new StoredVersion(
          text(ours.get("versionId")),
          instant(text(ours.get("lastUpdated"))),
          ours.path("deleted").asBoolean(false),
          etag);
    }
    JsonNode meta = item.path("meta");
    return new StoredVersion(
        text(meta.get("versionId")), instant(text(meta.get("lastUpdated"))), false, etag);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      // FHIR instants may carry an offset other than Z.
      try {
        return java.time.OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notAnInstant) {
        return null;
      }
    }
  }
}

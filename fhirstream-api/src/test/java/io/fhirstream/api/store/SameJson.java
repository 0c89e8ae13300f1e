package io.fhirstream.api.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.util.Comparator;

/**
 * How the contracts compare a body a store keeps parsed (PostgreSQL's jsonb, Cosmos DB, MongoDB)
 * with the one written: the same JSON, every field, value and array order, whitespace and key order
 * aside, and numbers with the same digits and precision.
 */
final class SameJson {
  /**
   * JSON node equality where a number equals another with the same digits and precision: a store
   * that parses documents may spell {@code 1.50e2} as {@code 150} (PostgreSQL's jsonb does; both
   * are 150 with scale 0), but must keep {@code 1.50} from becoming {@code 1.5}: FHIR decimals
   * carry their precision.
   */
  private static final Comparator<JsonNode> SAME_NUMBER =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().equals(b.decimalValue()) ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
      };

  /** Numbers read as BigDecimal, so precision is seen. */
  private static final ObjectMapper EXACT_JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private SameJson() {}

  /**
   * Whether two JSON texts hold the same document.
   *
   * @throws AssertionError naming {@code what} when either is not JSON
   */
  static boolean same(byte[] stored, byte[] expected, String what) {
    return tree(stored, what).equals(SAME_NUMBER, tree(expected, what));
  }

  /** The document as a tree with exact numbers, for messages. */
  static JsonNode tree(byte[] json, String what) {
    try {
      return EXACT_JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(what + " is not JSON", e);
    }
  }
}

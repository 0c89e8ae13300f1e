package io.fhirstream.store.cosmos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds the numbers Cosmos DB would not give back as written. Cosmos DB holds every JSON number as
 * an IEEE-754 double, but a FHIR decimal's precision is part of its value ({@code 150.0} is not
 * {@code 150}) and integers may exceed 2^53. The text of each such number is kept beside the item,
 * keyed by its JSON pointer, so a reader can restore the resource exactly; most resources have
 * none.
 */
final class ExactNumbers {
  private static final BigDecimal LARGEST_EXACT_INTEGER = BigDecimal.valueOf(1L << 53);

  private ExactNumbers() {}

  /** Adds {@code pointer → text} to {@code out} for each number a double would change. */
  static void collect(JsonNode node, String pointer, ObjectNode out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        collect(field.getValue(), pointer + "/" + escape(field.getKey()), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collect(node.get(i), pointer + "/" + i, out);
      }
    } else if (node.isNumber() && !survivesDouble(node)) {
      out.put(pointer, text(node));
    }
  }

  /**
   * Whether Cosmos DB gives this number back as the same JSON number: an integer within 2^53, or a
   * decimal that is not a whole number and is its double's shortest text (which never ends in a
   * fractional zero). A whole decimal such as {@code 150.0} comes back as the integer {@code 150}.
   */
  static boolean survivesDouble(JsonNode number) {
    BigDecimal written = number.decimalValue();
    if (number.isIntegralNumber()) {
      return written.abs().compareTo(LARGEST_EXACT_INTEGER) <= 0;
    }
    double stored = written.doubleValue();
    if (Double.isInfinite(stored) || stored == Math.rint(stored)) {
      return false;
    }
    return new BigDecimal(Double.toString(stored)).stripTrailingZeros().equals(written);
  }

  /**
   * The number as JSON text with its digits and scale, and a decimal still written as a decimal:
   * {@code 1.50e2} is 150 with scale 0, which BigDecimal would print as the integer {@code 150}.
   */
  static String text(JsonNode number) {
    String text = number.decimalValue().toString();
    boolean looksIntegral = text.indexOf('.') < 0 && text.indexOf('E') < 0;
    return number.isIntegralNumber() || !looksIntegral ? text : text + "E0";
  }

  /** JSON Pointer escaping (RFC 6901). */
  private static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}

package io.fhirstream.demo.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Field-by-field comparison of JSON documents, naming where two differ (never the values). */
final class JsonTrees {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonTrees() {}

  static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JSON pointer of the first difference, or null if both have the same fields in the same
   * order with equal values.
   */
  static String firstDifference(JsonNode expected, JsonNode actual) {
    return firstDifference(expected, actual, "");
  }

  private static String firstDifference(JsonNode expected, JsonNode actual, String at) {
    if (expected.getNodeType() != actual.getNodeType()) {
      return at + " (" + expected.getNodeType() + " vs " + actual.getNodeType() + ")";
    }
    if (expected.isObject()) {
      List<String> names = fieldNames(expected);
      if (!names.equals(fieldNames(actual))) {
        return at + " (fields " + names + " vs " + fieldNames(actual) + ")";
      }
      for (String name : names) {
        String difference = firstDifference(expected.get(name), actual.get(name), at + "/" + name);
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (expected.isArray()) {
      if (expected.size() != actual.size()) {
        return at + " (" + expected.size() + " vs " + actual.size() + " items)";
      }
      for (int i = 0; i < expected.size(); i++) {
        String difference = firstDifference(expected.get(i), actual.get(i), at + "/" + i);
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : at + " (values differ)";
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

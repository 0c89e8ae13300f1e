package io.fhirstream.jpaserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a server answered to one transaction: the location of every entry it wrote (e.g. {@code
 * Patient/1000/_history/1}) and how many resources of each type it created ({@code 201}).
 *
 * @param bundle the name the loader gave the bundle (its file name or index)
 * @param createdByType resources created per type, sorted by type
 * @param locations each entry's {@code response.location}, in entry order (entries without one,
 *     such as a conditional create that matched nothing to write, are left out)
 */
public record TransactionResponse(
    String bundle, Map<String, Long> createdByType, List<String> locations) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest diagnostics text kept in an error message. */
  private static final int MAX_DIAGNOSTICS = 1000;

  /**
   * Reads a {@code transaction-response} Bundle.
   *
   * @throws IllegalStateException if the body is not a transaction-response Bundle
   */
  static TransactionResponse parse(String bundle, byte[] body) {
    JsonNode root = readOrNull(body);
    if (root == null || !"transaction-response".equals(root.path("type").asText())) {
      throw new IllegalStateException(
          "the server's answer to transaction "
              + bundle
              + " is not a transaction-response Bundle (resourceType "
              + (root == null ? "unreadable" : root.path("resourceType").asText("missing"))
              + ")");
    }
    Map<String, Long> created = new TreeMap<>();
    List<String> locations = new ArrayList<>();
    for (JsonNode entry : root.path("entry")) {
      JsonNode response = entry.path("response");
      String location = response.path("location").asText("");
      if (location.isEmpty()) {
        continue;
      }
      locations.add(location);
      if (response.path("status").asText("").startsWith("201")) {
        created.merge(resourceType(location), 1L, Long::sum);
      }
    }
    return new TransactionResponse(bundle, created, locations);
  }

  /**
   * The diagnostics of an OperationOutcome body, one issue per {@code "; "}, each as {@code
   * severity code: diagnostics}; empty when the body is no OperationOutcome. Never the body itself:
   * a refused bundle's body may echo patient data.
   */
  static String diagnostics(byte[] body) {
    JsonNode root = readOrNull(body);
    if (root == null || !"OperationOutcome".equals(root.path("resourceType").asText())) {
      return "";
    }
    List<String> issues = new ArrayList<>();
    for (JsonNode issue : root.path("issue")) {
      issues.add(
          issue.path("severity").asText("?")
              + " "
              + issue.path("code").asText("?")
              + ": "
              + issue.path("diagnostics").asText(""));
    }
    String joined = String.join("; ", issues);
    return joined.length() <= MAX_DIAGNOSTICS
        ? joined
        : joined.substring(0, MAX_DIAGNOSTICS) + "… (cut)";
  }

  /** {@code Patient/1000/_history/1} or {@code http://host/fhir/Patient/1000} → {@code Patient}. */
  static String resourceType(String location) {
    int history = location.indexOf("/_history/");
    String[] parts = (history < 0 ? location : location.substring(0, history)).split("/");
    if (parts.length < 2 || parts[parts.length - 2].isEmpty()) {
      throw new IllegalStateException(
          "cannot tell the resource type of location '" + location + "'");
    }
    return parts[parts.length - 2];
  }

  private static JsonNode readOrNull(byte[] body) {
    try {
      return body == null || body.length == 0 ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}

package io.fhirstream.ops.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.ops.HealthCheck.Result;
import java.util.Map;

/** The endpoint's JSON: one mapper, and the health body's exact shape. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write " + value.getClass().getSimpleName(), e);
    }
  }

  /** {@code {"status":"UP","checks":{"kafka":{"status":"UP"},"fhir":{...,"detail":"..."}}}}. */
  static String health(HealthReport report) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", report.status().name());
    ObjectNode checks = body.putObject("checks");
    for (Map.Entry<String, Result> check : report.checks().entrySet()) {
      ObjectNode node = checks.putObject(check.getKey());
      node.put("status", check.getValue().status().name());
      if (check.getValue().detail() != null) {
        node.put("detail", check.getValue().detail());
      }
    }
    return body.toString();
  }
}

package io.fhirstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.results.ResultReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of the built-in aggregates as the store holds them, for the demo: patients by gender and
 * age band, and how many patient-days of heart rate readings there are.
 */
final class LiveAggregates {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveAggregates() {}

  static String line(ResultReader results) {
    List<String> parts = new ArrayList<>();
    parts.add("gender " + counts(results, "patients_by_gender", "gender", "patients"));
    parts.add("age " + counts(results, "patients_by_age_band", "age_band", "patients"));
    int days = results.results("heart_rate_daily").size();
    if (days > 0) {
      parts.add(String.format("heart rate: %,d patient-days", days));
    }
    return "aggregates: " + String.join(" | ", parts);
  }

  private static String counts(
      ResultReader results, String aggregate, String group, String measure) {
    Map<String, Long> counts = new TreeMap<>();
    for (byte[] document : results.results(aggregate).values()) {
      try {
        JsonNode node = JSON.readTree(document);
        String key = node.path("group").path(group).asText("~");
        counts.merge(key, node.path("measures").path(measure).asLong(), Long::sum);
      } catch (IOException e) {
        // A document the store gives back unreadable is left out of a progress line.
      }
    }
    if (counts.isEmpty()) {
      return "-";
    }
    List<String> out = new ArrayList<>();
    counts.forEach((key, count) -> out.add(key + " " + count));
    return String.join(", ", out);
  }
}

package io.fhirstream.runtime.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.results.ResultReader;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current groups of an aggregate as the store holds them, for the operator dashboard: one label
 * per group (its group values joined with " / ", windows summed), one number per label.
 */
public final class AggregateGroups {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AggregateGroups() {}

  /**
   * @param measure the measure to show, e.g. {@code patients}
   * @return label → value, labels sorted; a group without the measure counts 0
   */
  public static Map<String, Double> of(ResultReader results, String aggregate, String measure) {
    Map<String, Double> groups = new TreeMap<>();
    for (byte[] document : results.results(aggregate).values()) {
      try {
        JsonNode node = JSON.readTree(document);
        StringBuilder label = new StringBuilder();
        for (Iterator<JsonNode> values = node.path("group").elements(); values.hasNext(); ) {
          JsonNode value = values.next();
          label
              .append(label.length() == 0 ? "" : " / ")
              .append(value.isNull() ? "~" : value.asText());
        }
        groups.merge(
            label.length() == 0 ? aggregate : label.toString(),
            node.path("measures").path(measure).asDouble(0),
            Double::sum);
      } catch (IOException e) {
        // A document the store gives back unreadable is left out of a chart.
      }
    }
    return groups;
  }
}

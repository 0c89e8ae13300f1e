package io.fhirstream.analytics.aggregate;

import java.util.List;

/**
 * What one row of a view adds to one result of an aggregate: the result (its id, group and window),
 * and the row's values for the aggregate's measures, in measure order. A resource's contributions
 * replace those of its previous version.
 *
 * @param resultId the result document's id ({@link ResultIds})
 * @param group the group's values in {@code groupBy} order, as text (null where a row has none)
 * @param windowStart the window's start in epoch milliseconds, or null without windows
 * @param inputs per measure the value it reads: a {@code BigDecimal} (numbers, trailing zeros
 *     stripped), a {@code String} (anything else as text) or null; {@code Boolean.TRUE} for a
 *     column-less {@code count}
 */
public record Contribution(
    String resultId, List<String> group, Long windowStart, List<Object> inputs) {

  @Override
  public String toString() {
    // Inputs are patient data: never printed.
    return "Contribution[" + resultId + "]";
  }
}

package io.fhirstream.analytics.aggregate;

import java.util.List;

/**
 * Labels of age bands: bounds {@code [18, 65]} make {@code 0-17}, {@code 18-64} and {@code 65+}.
 */
final class AgeBands {
  private AgeBands() {}

  static String label(List<Integer> bounds, int age) {
    int lower = 0;
    for (int bound : bounds) {
      if (age < bound) {
        return lower + "-" + (bound - 1);
      }
      lower = bound;
    }
    return lower + "+";
  }
}

package io.fhirstream.api.config;

import java.util.Collection;
import java.util.Map;

/** Rejects settings that no component declares, so a misspelled key is never silently ignored. */
public final class UnknownKeys {
  private UnknownKeys() {}

  /**
   * @param passthroughPrefixes prefixes whose keys go to a client untouched, e.g. {@code kafka.}
   * @throws ConfigException for every unknown key, each with the closest declared one
   */
  public static void reject(
      Map<String, String> raw,
      Collection<ConfigDefinition> definitions,
      Collection<String> passthroughPrefixes) {
    var known = ConfigDefinition.allKeyNames(definitions);
    ConfigProblems problems = new ConfigProblems();
    for (String key : raw.keySet()) {
      if (known.contains(key) || passthroughPrefixes.stream().anyMatch(key::startsWith)) {
        continue;
      }
      problems.add(unknown(key, known));
    }
    problems.throwIfAny();
  }

  /**
   * The error for a key nobody declares, suggesting the closest of {@code known} when one is close
   * enough to be a likely typo.
   */
  public static ConfigException unknown(String key, Collection<String> known) {
    return unknown(key, known, "see docs/CONFIGURATION.md for the keys there are");
  }

  /** Like {@link #unknown(String, Collection)}, with the hint given when nothing is close. */
  public static ConfigException unknown(String key, Collection<String> known, String otherwise) {
    String closest = null;
    int best = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(key, candidate);
      if (distance < best) {
        best = distance;
        closest = candidate;
      }
    }
    String hint =
        closest != null && best <= Math.max(3, key.length() / 4)
            ? "did you mean '" + closest + "'?"
            : otherwise;
    return new ConfigException(key, "unknown setting; " + hint);
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}

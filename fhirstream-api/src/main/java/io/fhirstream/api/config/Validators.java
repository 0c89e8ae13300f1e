package io.fhirstream.api.config;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Common validators for {@link ConfigKey}. */
public final class Validators {
  private Validators() {}

  /** Accepts anything. */
  public static final ConfigKey.Validator ANY = value -> null;

  /** A whole number of at least {@code min}. */
  public static ConfigKey.Validator atLeast(int min) {
    return value -> ((Integer) value) >= min ? null : "must be at least " + min;
  }

  /** One of the given values. */
  /** An integer in {@code [min, max]}. */
  public static ConfigKey.Validator between(int min, int max) {
    return value -> {
      int number = (Integer) value;
      return number < min || number > max
          ? "must be between " + min + " and " + max + ", was " + number
          : null;
    };
  }

  public static ConfigKey.Validator oneOf(Collection<String> allowed) {
    return value -> allowed.contains(value) ? null : "must be one of " + String.join(", ", allowed);
  }

  /** A non-empty string or list. */
  public static final ConfigKey.Validator NON_EMPTY =
      value ->
          (value instanceof String s && s.isBlank()) || (value instanceof List<?> l && l.isEmpty())
              ? "must not be empty"
              : null;

  /** A positive duration. */
  public static final ConfigKey.Validator POSITIVE_DURATION =
      value ->
          ((java.time.Duration) value).isNegative() || ((java.time.Duration) value).isZero()
              ? "must be longer than zero"
              : null;

  /** Every list element matches the pattern. */
  public static ConfigKey.Validator eachMatches(String regex, String what) {
    Pattern pattern = Pattern.compile(regex);
    return value -> {
      for (Object element : (List<?>) value) {
        if (!pattern.matcher(element.toString()).matches()) {
          return "'" + element + "' is not " + what;
        }
      }
      return null;
    };
  }
}

package io.fhirstream.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The types a setting can have, each with its parser and a hint for error messages. */
public enum ConfigType {
  STRING("a string"),
  INT("a whole number"),
  BOOLEAN("true or false"),
  DURATION("a duration such as 500ms, 2s, 5m or PT1S"),
  LIST("a comma-separated list"),
  PATH("a file system path"),
  /** A secret: parsed like a string, but never printed. */
  PASSWORD("a secret string");

  private final String expected;

  ConfigType(String expected) {
    this.expected = expected;
  }

  /** How a value of this type is written, for error messages. */
  public String expected() {
    return expected;
  }

  Object parse(String raw) {
    String text = raw.trim();
    return switch (this) {
      case STRING, PASSWORD -> text;
      case INT -> Integer.parseInt(text);
      case BOOLEAN -> parseBoolean(text);
      case DURATION -> parseDuration(text);
      case LIST ->
          text.isEmpty()
              ? List.of()
              : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      case PATH -> Path.of(text);
    };
  }

  private static Boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  static Duration parseDuration(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("pt") || lower.startsWith("p")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    int split = 0;
    while (split < lower.length() && Character.isDigit(lower.charAt(split))) {
      split++;
    }
    if (split == 0) {
      throw new IllegalArgumentException("no number");
    }
    long amount = Long.parseLong(lower.substring(0, split));
    return switch (lower.substring(split)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s", "" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException("unknown unit");
    };
  }
}

package io.fhirstream.api.config;

/**
 * One declared setting.
 *
 * @param name dotted lowercase name with a component prefix, e.g. {@code store.sqlite.path}
 * @param type how the value is parsed
 * @param defaultValue the default as it would be written in the file, or {@code null} if required
 * @param validator checks the parsed value; see {@link Validators}
 * @param doc one or two sentences for the reference documentation
 */
public record ConfigKey(
    String name, ConfigType type, String defaultValue, Validator validator, String doc) {

  /** Checks a parsed value; returns a description of the problem and fix, or null if fine. */
  @FunctionalInterface
  public interface Validator {
    String check(Object value);
  }

  /** Whether the setting must be given. */
  public boolean required() {
    return defaultValue == null;
  }

  /**
   * The environment variable that overrides this key: {@code FHIRSTREAM_} + the name upper-cased.
   */
  public String environmentVariable() {
    return environmentVariable(name);
  }

  /** The environment variable of a key name: {@code FHIRSTREAM_} + the name upper-cased. */
  public static String environmentVariable(String key) {
    return "FHIRSTREAM_"
        + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}

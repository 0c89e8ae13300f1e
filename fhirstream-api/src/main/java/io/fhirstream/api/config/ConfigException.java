package io.fhirstream.api.config;

/**
 * A setting is missing, malformed, unknown or refers to something unusable. The message names the
 * key and says how to fix it; it never contains a secret's value.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The offending key. */
  public String key() {
    return key;
  }
}

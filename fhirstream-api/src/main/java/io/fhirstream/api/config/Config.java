package io.fhirstream.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Validated, typed settings of one component, produced by {@link ConfigDefinition#parse}. */
public final class Config {
  private final Map<String, Object> values;
  private final Map<String, String> raw;
  private final ConfigDefinition definition;

  Config(Map<String, Object> values, Map<String, String> raw, ConfigDefinition definition) {
    this.values = values;
    this.raw = raw;
    this.definition = definition;
  }

  public String getString(String key) {
    return (String) get(key);
  }

  public int getInt(String key) {
    return (Integer) get(key);
  }

  public boolean getBoolean(String key) {
    return (Boolean) get(key);
  }

  public Duration getDuration(String key) {
    return (Duration) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    return (List<String>) get(key);
  }

  public Path getPath(String key) {
    return (Path) get(key);
  }

  /**
   * The raw settings that start with {@code prefix}, with the prefix removed (client passthrough).
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  private Object get(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("undeclared key " + key);
    }
    return values.get(key);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (ConfigKey key : definition.keys()) {
      Object value = values.get(key.name());
      out.append(out.length() > 1 ? ", " : "")
          .append(key.name())
          .append('=')
          .append(key.type() == ConfigType.PASSWORD ? "[hidden]" : withoutCredentials(value));
    }
    return out.append('}').toString();
  }

  /** {@code user:password@} in a URL, and {@code password=…}-like parameters. */
  private static final Pattern CREDENTIALS =
      Pattern.compile(
          "(?i)(://)[^/@\\s]+@|((?:password|passwd|pwd|secret|token|key|sig|signature)=)[^&;\\s]*");

  /**
   * A plain string setting may still carry a credential, e.g. a JDBC URL with {@code ?password=} or
   * a connection string with {@code SharedAccessKey=}: masked, so a printed configuration never
   * shows one.
   */
  static Object withoutCredentials(Object value) {
    if (!(value instanceof String text)) {
      return value;
    }
    return CREDENTIALS
        .matcher(text)
        .replaceAll(m -> m.group(1) != null ? "://[hidden]@" : m.group(2) + "[hidden]");
  }
}

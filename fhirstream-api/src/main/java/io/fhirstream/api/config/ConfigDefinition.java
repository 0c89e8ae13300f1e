package io.fhirstream.api.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of one component, declared once. Built with {@link #builder()}; {@link #parse}
 * validates raw values and {@link #toMarkdown()} renders the reference table.
 */
public final class ConfigDefinition {
  private final String title;
  private final Map<String, ConfigKey> keys;

  private ConfigDefinition(String title, Map<String, ConfigKey> keys) {
    this.title = title;
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** Starts a definition; the title heads its section of the reference documentation. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** Starts an untitled definition. */
  public static Builder builder() {
    return new Builder("");
  }

  public String title() {
    return title;
  }

  public Collection<ConfigKey> keys() {
    return keys.values();
  }

  public boolean declares(String name) {
    return keys.containsKey(name);
  }

  /**
   * Parses and validates the declared keys found in {@code raw}; other keys are ignored here (see
   * {@link UnknownKeys}).
   *
   * @throws ConfigException naming every key that is missing or wrong, each with its fix
   */
  public Config parse(Map<String, String> raw) {
    Map<String, Object> values = new LinkedHashMap<>();
    ConfigProblems problems = new ConfigProblems();
    for (ConfigKey key : keys.values()) {
      Object value = problems.check(() -> value(key, raw));
      values.put(key.name(), value);
    }
    problems.throwIfAny();
    return new Config(values, raw, this);
  }

  private static Object value(ConfigKey key, Map<String, String> raw) {
    String text = raw.containsKey(key.name()) ? raw.get(key.name()) : key.defaultValue();
    if (text == null) {
      throw new ConfigException(
          key.name(),
          "is required: set it in the configuration file or as "
              + key.environmentVariable()
              + " ("
              + key.doc()
              + ")");
    }
    Object value;
    try {
      value = key.type().parse(text);
    } catch (RuntimeException e) {
      throw new ConfigException(
          key.name(),
          (key.type() == ConfigType.PASSWORD ? "the value" : "'" + text + "'")
              + " is not "
              + key.type().expected());
    }
    String problem = key.validator().check(value);
    if (problem != null) {
      throw new ConfigException(key.name(), problem);
    }
    return value;
  }

  /** A Markdown table of the keys, for the generated configuration reference. */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder();
    if (!title.isEmpty()) {
      out.append("### ").append(title).append("\n\n");
    }
    out.append("| key | type | default | environment variable | description |\n");
    out.append("|---|---|---|---|---|\n");
    for (ConfigKey key : keys.values()) {
      out.append("| `")
          .append(key.name())
          .append("` | ")
          .append(key.type().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(key.required() ? "*required*" : "`" + key.defaultValue() + "`")
          .append(" | `")
          .append(key.environmentVariable())
          .append("` | ")
          .append(key.doc().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** Collects keys in declaration order. */
  public static final class Builder {
    private final String title;
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    private Builder(String title) {
      this.title = title;
    }

    /** Declares a key; {@code defaultValue == null} makes it required. */
    public Builder define(
        String name,
        ConfigType type,
        String defaultValue,
        ConfigKey.Validator validator,
        String doc) {
      if (!name.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
        throw new IllegalArgumentException("key names are dotted lowercase: " + name);
      }
      if (keys.put(name, new ConfigKey(name, type, defaultValue, validator, doc)) != null) {
        throw new IllegalArgumentException("key declared twice: " + name);
      }
      return this;
    }

    /** Declares a key with no validation beyond its type. */
    public Builder define(String name, ConfigType type, String defaultValue, String doc) {
      return define(name, type, defaultValue, Validators.ANY, doc);
    }

    /** Adds every key of another definition. */
    public Builder include(ConfigDefinition other) {
      other
          .keys()
          .forEach(k -> define(k.name(), k.type(), k.defaultValue(), k.validator(), k.doc()));
      return this;
    }

    public ConfigDefinition build() {
      return new ConfigDefinition(title, new LinkedHashMap<>(keys));
    }
  }

  /** All keys of several definitions, for unknown-key checks. */
  public static List<String> allKeyNames(Collection<ConfigDefinition> definitions) {
    List<String> names = new ArrayList<>();
    definitions.forEach(d -> d.keys().forEach(k -> names.add(k.name())));
    return names;
  }
}

package io.fhirstream.runtime.config;

import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.ConfigProblems;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the sources of settings, later winning: the properties file, then environment variables,
 * then command-line overrides.
 *
 * <p>Environment: a declared key {@code a.b-c} is read from {@code FHIRSTREAM_A_B_C}; Kafka client
 * settings from {@code FHIRSTREAM_KAFKA_*}, underscores becoming dots ({@code
 * FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS → kafka.bootstrap.servers}). Any other {@code FHIRSTREAM_}
 * variable is an error, so a misspelling cannot pass unnoticed. A renamed key still works under its
 * old name (and variable), with a warning naming the new one.
 */
public final class RawSettings {
  private static final Logger LOG = LoggerFactory.getLogger(RawSettings.class);

  /** Read by the launcher script and the logging configuration, not as settings. */
  private static final List<String> LAUNCHER_VARIABLES =
      List.of("FHIRSTREAM_JAVA_OPTS", "FHIRSTREAM_LOG_LEVEL", "FHIRSTREAM_LOG_FORMAT");

  /** What the logging configuration understands; anything else would silence the log. */
  private static final Map<String, List<String>> LAUNCHER_VALUES =
      Map.of(
          "FHIRSTREAM_LOG_LEVEL", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"),
          "FHIRSTREAM_LOG_FORMAT", List.of("plain", "json"));

  private RawSettings() {}

  public static Map<String, String> merge(
      Path file,
      Map<String, String> environment,
      Map<String, String> overrides,
      List<ConfigDefinition> definitions) {
    DeprecatedKeys deprecated = new DeprecatedKeys(definitions);
    Map<String, String> raw = new LinkedHashMap<>();
    if (file != null) {
      raw.putAll(deprecated.rename(readFile(file), file.toString()));
    }
    raw.putAll(fromEnvironment(environment, definitions));
    raw.putAll(deprecated.rename(overrides, "--set"));
    return raw;
  }

  static Map<String, String> fromEnvironment(
      Map<String, String> environment, List<ConfigDefinition> definitions) {
    Map<String, String> byVariable = new LinkedHashMap<>();
    Map<String, String> deprecated = new DeprecatedKeys(definitions).newNameByVariable();
    for (ConfigDefinition definition : definitions) {
      for (ConfigKey key : definition.keys()) {
        byVariable.put(key.environmentVariable(), key.name());
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    ConfigProblems problems = new ConfigProblems();
    LAUNCHER_VALUES.forEach(
        (variable, allowed) -> {
          String value = environment.get(variable);
          if (value == null) {
            return;
          }
          // Levels in any case (logback reads them so); formats name an appender: exactly.
          boolean known =
              variable.endsWith("LEVEL")
                  ? allowed.stream().anyMatch(level -> level.equalsIgnoreCase(value))
                  : allowed.contains(value);
          if (!known) {
            problems.add(
                new ConfigException(
                    variable, "is '" + value + "'; use one of " + String.join(", ", allowed)));
          }
        });
    environment.forEach(
        (variable, value) -> {
          if (!variable.startsWith("FHIRSTREAM_") || LAUNCHER_VARIABLES.contains(variable)) {
            return;
          }
          String key = byVariable.get(variable);
          if (key == null && deprecated.containsKey(variable)) {
            key = deprecated.get(variable);
            LOG.warn(
                "environment variable {} is deprecated; use {}",
                variable,
                ConfigKey.environmentVariable(key));
            if (environment.containsKey(ConfigKey.environmentVariable(key))) {
              return;
            }
          }
          if (key == null && variable.startsWith("FHIRSTREAM_KAFKA_")) {
            key =
                variable
                    .substring("FHIRSTREAM_".length())
                    .toLowerCase(Locale.ROOT)
                    .replace('_', '.');
          }
          if (key == null) {
            problems.add(
                new ConfigException(
                    variable,
                    "environment variable matches no setting; see docs/CONFIGURATION.md"));
            return;
          }
          out.put(key, value);
        });
    problems.throwIfAny();
    return out;
  }

  /** Settings naming a path that, written in the file, is taken from the file's directory. */
  private static final List<String> RELATIVE_TO_FILE = List.of("analytics.definitions");

  private static Map<String, String> readFile(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException(
          "--config", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> out = new LinkedHashMap<>();
    properties.stringPropertyNames().stream()
        .sorted()
        .forEach(name -> out.put(name, properties.getProperty(name).trim()));
    Path directory = file.toAbsolutePath().getParent();
    for (String key : RELATIVE_TO_FILE) {
      String value = out.get(key);
      if (value != null && !value.isEmpty() && !Path.of(value).isAbsolute() && directory != null) {
        out.put(key, directory.resolve(value).normalize().toString());
      }
    }
    return out;
  }
}

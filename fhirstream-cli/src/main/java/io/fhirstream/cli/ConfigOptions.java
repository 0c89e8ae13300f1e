package io.fhirstream.cli;

import io.fhirstream.runtime.config.RawSettings;
import io.fhirstream.runtime.config.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every pipeline command shares: a config file and key=value overrides. */
public final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with settings (see the configuration reference).")
  Path file;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "Overrides one setting; repeatable. Wins over the file and the environment.")
  Map<String, String> overrides = new LinkedHashMap<>();

  /**
   * The merged raw settings: file, then environment, then {@code defaults} unless set, then --set.
   */
  Map<String, String> raw(Map<String, String> defaults) {
    Map<String, String> raw =
        RawSettings.merge(file, System.getenv(), Map.of(), Settings.definitions());
    defaults.forEach(raw::putIfAbsent);
    raw.putAll(overrides);
    return raw;
  }
}

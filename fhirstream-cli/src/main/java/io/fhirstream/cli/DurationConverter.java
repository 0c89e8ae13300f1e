package io.fhirstream.cli;

import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/** Durations on the command line in the same forms as in settings: 500ms, 30s, 2m, PT1M. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final ConfigDefinition ONE =
      ConfigDefinition.builder().define("value", ConfigType.DURATION, "0s", "").build();

  @Override
  public Duration convert(String value) {
    try {
      return ONE.parse(Map.of("value", value)).getDuration("value");
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration; use e.g. 500ms, 30s, 2m");
    }
  }
}

package io.fhirstream.source.export;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the bulk {@code $export} first load ({@code source.backfill=export}), declared once
 * in {@link #DEFINITION} (included in the source's definition).
 *
 * @param level where the export is kicked off: {@code [base]/$export} or {@code
 *     [base]/Patient/$export}
 * @param maxStatusWait the longest pause between two status polls, whatever {@code Retry-After}
 *     asks for
 * @param batchSize resources published (and acknowledged) per step of progress
 */
public record ExportConfig(Level level, Duration maxStatusWait, int batchSize) {

  /** Where the export is kicked off. */
  public enum Level {
    /** {@code [base]/$export}: every resource of the requested types. */
    SYSTEM,
    /** {@code [base]/Patient/$export}: the requested types within patient compartments. */
    PATIENT
  }

  /** The keys, to be included in the source's definition. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Source: bulk $export first load (source.backfill=export)")
          .define(
              "source.export.level",
              ConfigType.STRING,
              "system",
              Validators.oneOf(List.of("system", "patient")),
              "Where the export is kicked off: system ([base]/$export, every resource of the"
                  + " types) or patient ([base]/Patient/$export, resources in patient"
                  + " compartments only, for servers that allow no system-level export).")
          .define(
              "source.export.max-status-wait",
              ConfigType.DURATION,
              "60s",
              Validators.POSITIVE_DURATION,
              "Longest pause between two polls of the export's status, whatever the server's"
                  + " Retry-After asks for.")
          .define(
              "source.export.batch-size",
              ConfigType.INT,
              "1000",
              Validators.atLeast(1),
              "Exported resources published and acknowledged per step; the export's durable"
                  + " progress (file, line) advances after each step.")
          .build();

  /** Reads the validated settings. */
  public static ExportConfig from(Config config) {
    return new ExportConfig(
        Level.valueOf(config.getString("source.export.level").toUpperCase(Locale.ROOT)),
        config.getDuration("source.export.max-status-wait"),
        config.getInt("source.export.batch-size"));
  }

  /** Defaults, for tests and tools. */
  public static ExportConfig defaults() {
    return new ExportConfig(Level.SYSTEM, Duration.ofSeconds(60), 1000);
  }
}

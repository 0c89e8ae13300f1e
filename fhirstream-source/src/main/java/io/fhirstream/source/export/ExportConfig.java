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
 * @param parallelism how many files are downloaded and published at once
 * @param statusRetries how many 5xx answers in a row a status poll may get before the load stops
 * @param storage the storage account the files may be on, and how to read them there
 */
public record ExportConfig(
    Level level,
    Duration maxStatusWait,
    int batchSize,
    int parallelism,
    int statusRetries,
    StorageAccess storage) {

  /** One file at a time, ten status retries, no storage account. */
  public ExportConfig(Level level, Duration maxStatusWait, int batchSize) {
    this(level, maxStatusWait, batchSize, 1, 10, StorageAccess.none());
  }

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
          .define(
              "source.export.parallelism",
              ConfigType.INT,
              "4",
              Validators.between(1, 16),
              "How many export files are downloaded and published at once.")
          .define(
              "source.export.status-retries",
              ConfigType.INT,
              "10",
              Validators.atLeast(0),
              "How many 5xx answers in a row the job's status may give (each retried with backoff)"
                  + " before the first load stops with an error. A 5xx whose OperationOutcome is"
                  + " not 'transient' means the job failed: the load stops at once, and the next"
                  + " start kicks off a new job.")
          .define(
              StorageAccess.URL,
              ConfigType.STRING,
              "",
              "The storage account the server writes export files into when they are not on its"
                  + " own origin, e.g. https://ACCOUNT.blob.core.windows.net (Azure Health Data"
                  + " Services). Files there are read with source.export.storage.auth; the FHIR"
                  + " server's credentials are never sent there.")
          .define(
              StorageAccess.AUTH,
              ConfigType.STRING,
              "none",
              Validators.oneOf(StorageAccess.authValues()),
              "How to read files on source.export.storage.url: none, sas (a shared access"
                  + " signature, source.export.storage.sas, appended to each file URL) or azure"
                  + " (Azure identity's DefaultAzureCredential, scope"
                  + " https://storage.azure.com/.default; the identity needs Storage Blob Data"
                  + " Reader on the container).")
          .define(
              StorageAccess.SAS_KEY,
              ConfigType.PASSWORD,
              "",
              "The shared access signature (its query string: sv=…&sp=rl&sig=…) for"
                  + " source.export.storage.auth=sas; prefer the environment variable or"
                  + " source.export.storage.sas-file.")
          .define(
              StorageAccess.SAS_FILE,
              ConfigType.STRING,
              "",
              "A file holding the shared access signature (e.g. a mounted secret).")
          .define(
              StorageAccess.CLIENT_ID,
              ConfigType.STRING,
              "",
              "With source.export.storage.auth=azure, the client id of a user-assigned managed"
                  + " identity (empty: the system-assigned one).")
          .build();

  /** Reads the validated settings. */
  public static ExportConfig from(Config config) {
    return new ExportConfig(
        Level.valueOf(config.getString("source.export.level").toUpperCase(Locale.ROOT)),
        config.getDuration("source.export.max-status-wait"),
        config.getInt("source.export.batch-size"),
        config.getInt("source.export.parallelism"),
        config.getInt("source.export.status-retries"),
        StorageAccess.from(config));
  }

  /** The same settings with files read {@code n} at once. */
  public ExportConfig withParallelism(int n) {
    return new ExportConfig(level, maxStatusWait, batchSize, n, statusRetries, storage);
  }

  /** The same settings with export files read from a storage account. */
  public ExportConfig withStorage(StorageAccess access) {
    return new ExportConfig(level, maxStatusWait, batchSize, parallelism, statusRetries, access);
  }

  /** Defaults, for tests and tools. */
  public static ExportConfig defaults() {
    return new ExportConfig(
        Level.SYSTEM, Duration.ofSeconds(60), 1000, 4, 10, StorageAccess.none());
  }
}

package io.fhirstream.analytics;

import io.fhirstream.analytics.aggregate.AggregateDefinitionException;
import io.fhirstream.analytics.view.ViewDefinitionException;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Settings of the analytics role, declared once in {@link #DEFINITION}.
 *
 * @param definitions the directory of {@code views/*.json} and {@code aggregates/*.json}, or null
 * @param builtIns whether the built-in views and aggregates run
 * @param referenceDate the date ages are computed at
 * @param processingGuarantee {@code auto}, {@code exactly_once_v2} or {@code at_least_once}
 * @param applicationId the Kafka Streams application id (consumer group, internal topic prefix)
 * @param stateDir where Kafka Streams keeps its local state
 * @param topicPrefix prefix of the output topics
 * @param threads stream threads in this instance
 * @param commitInterval how often results are committed (and so become visible)
 */
public record AnalyticsConfig(
    Path definitions,
    boolean builtIns,
    LocalDate referenceDate,
    String processingGuarantee,
    String applicationId,
    Path stateDir,
    String topicPrefix,
    int threads,
    Duration commitInterval) {

  /** The guarantee options. */
  public static final List<String> GUARANTEES = List.of("auto", "exactly_once_v2", "at_least_once");

  /** Ages are taken at a fixed date, not today, so that results can be reproduced. */
  public static final String DEFAULT_REFERENCE_DATE = "2025-01-01";

  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Analytics role: views and aggregates")
          .define(
              "analytics.definitions",
              ConfigType.STRING,
              "",
              "A directory with views/*.json (SQL on FHIR v2 ViewDefinitions) and aggregates/*.json"
                  + " (aggregate definitions), kept current beside the built-in ones; a relative path"
                  + " in the configuration file is taken from the file's directory. Empty: none.")
          .define(
              "analytics.builtins",
              ConfigType.BOOLEAN,
              "true",
              "Run the built-in views (patient_demographics, observation_values) and aggregates"
                  + " (patients by gender, age band, state and city; observations per LOINC code per"
                  + " hour; heart rate and body weight per patient per day).")
          .define(
              "analytics.reference-date",
              ConfigType.STRING,
              DEFAULT_REFERENCE_DATE,
              AnalyticsConfig::dateProblem,
              "The date ages are computed at for age bands (YYYY-MM-DD). A fixed date, not today,"
                  + " so a result can be reproduced and checked; move it when the bands should"
                  + " age.")
          .define(
              "analytics.processing-guarantee",
              ConfigType.STRING,
              "auto",
              Validators.oneOf(GUARANTEES),
              "auto: exactly_once_v2 when the hub supports transactions (checked at start),"
                  + " else at_least_once. exactly_once_v2: results are exact even when an"
                  + " instance dies mid-batch. at_least_once: for hubs without transactions; a"
                  + " crash may count a change twice until the role is reset (analytics verify"
                  + " finds it).")
          .define(
              "analytics.application-id",
              ConfigType.STRING,
              "fhirstream-analytics",
              Validators.NON_EMPTY,
              "The Kafka Streams application id: the consumer group of every analytics instance and"
                  + " the prefix of its internal topics. Instances with the same id share the work.")
          .define(
              "analytics.state-dir",
              ConfigType.PATH,
              "fhirstream-data/analytics",
              "Where the analytics role keeps its local state (RocksDB); rebuilt from the hub's"
                  + " changelog topics when lost.")
          .define(
              "analytics.topic-prefix",
              ConfigType.STRING,
              "fhirstream.analytics.",
              Validators.NON_EMPTY,
              "Prefix of the output topics: view.<view>, aggregate.<aggregate> and"
                  + " aggregate.<aggregate>.late.")
          .define(
              "analytics.threads",
              ConfigType.INT,
              "1",
              Validators.between(1, 64),
              "Stream threads of this instance (each works on its own partitions).")
          .define(
              "analytics.commit-interval",
              ConfigType.DURATION,
              "100ms",
              Validators.POSITIVE_DURATION,
              "How often the analytics role commits; a result becomes visible to the store's writer"
                  + " at the next commit.")
          .build();

  public static AnalyticsConfig from(Config config) {
    String definitions = config.getString("analytics.definitions").trim();
    return new AnalyticsConfig(
        definitions.isEmpty() ? null : Path.of(definitions),
        config.getBoolean("analytics.builtins"),
        LocalDate.parse(config.getString("analytics.reference-date")),
        config.getString("analytics.processing-guarantee"),
        config.getString("analytics.application-id"),
        config.getPath("analytics.state-dir"),
        config.getString("analytics.topic-prefix"),
        config.getInt("analytics.threads"),
        config.getDuration("analytics.commit-interval"));
  }

  /**
   * Reads and checks the definitions these settings name.
   *
   * @throws ConfigException on {@code analytics.definitions} for a bad definition, with the
   *     definition's own message (its file, its name, the element and the problem)
   */
  public AnalyticsDefinitions loadDefinitions() {
    try {
      return AnalyticsDefinitions.load(definitions, builtIns, referenceDate);
    } catch (AggregateDefinitionException | ViewDefinitionException e) {
      throw new ConfigException("analytics.definitions", e.getMessage());
    }
  }

  private static String dateProblem(Object value) {
    try {
      LocalDate.parse((String) value);
      return null;
    } catch (DateTimeParseException e) {
      return "is not a date such as " + DEFAULT_REFERENCE_DATE + " (YYYY-MM-DD)";
    }
  }
}

package io.fhirstream.functions;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Validators;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.RawSettings;
import io.fhirstream.runtime.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a Function App: every {@code FHIRSTREAM_*} app setting the long-running service
 * reads (store, hub, JSON limits, source), plus the keys declared here, which the functions'
 * binding expressions ({@code %FHIRSTREAM_FUNCTIONS_…%}) name too, so the host and the code agree.
 *
 * @param settings the service's settings, validated for the roles the function plays
 * @param writerEventHub the event hub (topic) the writer function is triggered by
 * @param captureBudget how long one invocation of the timer capture function may capture
 */
public record FunctionsConfig(Settings settings, String writerEventHub, Duration captureBudget) {

  static final String WRITER_EVENT_HUB = "functions.writer.event-hub";
  static final String WRITER_CONSUMER_GROUP = "functions.writer.consumer-group";
  static final String CAPTURE_SCHEDULE = "functions.capture.schedule";
  static final String CAPTURE_BUDGET = "functions.capture.budget";

  /** The functions' own keys; the host resolves them in bindings, the code reads them too. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Azure Functions")
          .define(
              WRITER_EVENT_HUB,
              ConfigType.STRING,
              "",
              "The event hub the writer function is triggered by, e.g. fhir.Patient (a resource"
                  + " topic: hub.topic-prefix plus the type). One writer function per Function App"
                  + " and type.")
          .define(
              WRITER_CONSUMER_GROUP,
              ConfigType.STRING,
              "$Default",
              "The consumer group the writer function reads with; give it one of its own, as"
                  + " sink.group-id for the service.")
          .define(
              CAPTURE_SCHEDULE,
              ConfigType.STRING,
              "0 */1 * * * *",
              "When the timer capture function runs: an NCRONTAB expression (seconds first), read"
                  + " by the host. Each run captures what changed since the last one's cursor.")
          .define(
              CAPTURE_BUDGET,
              ConfigType.DURATION,
              "4m",
              Validators.POSITIVE_DURATION,
              "How long one run of the timer capture function may capture before it stops (what"
                  + " it published stays published, the next run goes on from the cursor); keep"
                  + " it below the host's functionTimeout (5 min by default on the Consumption"
                  + " plan).")
          .build();

  /**
   * Reads the app settings (environment variables) for a function playing {@code roles}.
   *
   * @throws ConfigException naming the setting and its fix; an unknown {@code FHIRSTREAM_} variable
   *     is one
   */
  public static FunctionsConfig from(Map<String, String> environment, Set<Role> roles) {
    List<ConfigDefinition> definitions = new ArrayList<>(Settings.definitions());
    definitions.add(DEFINITION);
    Map<String, String> raw = RawSettings.merge(null, environment, Map.of(), definitions);
    // The service's settings reject keys they do not declare: the functions' own go apart.
    Map<String, String> own = new LinkedHashMap<>();
    for (var entries = raw.entrySet().iterator(); entries.hasNext(); ) {
      Map.Entry<String, String> entry = entries.next();
      if (entry.getKey().startsWith("functions.")) {
        own.put(entry.getKey(), entry.getValue());
        entries.remove();
      }
    }
    Config config = DEFINITION.parse(own);
    return new FunctionsConfig(
        Settings.parse(raw, roles),
        config.getString(WRITER_EVENT_HUB),
        config.getDuration(CAPTURE_BUDGET));
  }

  /** The writer's event hub, which must be set for the writer to know its resource type. */
  String requireWriterEventHub() {
    if (writerEventHub.isBlank()) {
      throw new ConfigException(
          WRITER_EVENT_HUB,
          "is not set; set the app setting FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB to the resource"
              + " topic the writer reads, e.g. fhir.Patient");
    }
    if (settings.hub().resourceType(writerEventHub) == null) {
      throw new ConfigException(
          WRITER_EVENT_HUB,
          "is "
              + writerEventHub
              + ", which is not a resource topic (hub.topic-prefix "
              + settings.hub().topic("")
              + " plus a type); name the topic of the type to write");
    }
    return writerEventHub;
  }
}

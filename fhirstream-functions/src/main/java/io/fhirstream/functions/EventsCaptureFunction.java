package io.fhirstream.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.kafka.EventCodec;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.publish.KafkaEventPublisher;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.events.EventPlan;
import io.fhirstream.source.events.EventsBatch;
import io.fhirstream.source.events.EventsSourceFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.logging.Level;

/**
 * Capture from Azure Health Data Services events as an Azure Function: triggered by a batch of the
 * FHIR service's events on the event hub Event Grid delivers them to, it reads the versions they
 * name from the FHIR server and publishes them (deletions as tombstones) to the resource topics,
 * with the same headers and guarantees as the {@code ahds-events} source, and returns only once the
 * hub has acknowledged them, so the host checkpoints only what is published.
 *
 * <p>Overlapping invocations (the host runs one per partition at once, Event Grid spreads a
 * resource's events over partitions) are safe: each publishes only versions it read from the
 * server, and every store applies a version only if it is newer than what it holds. A failure fails
 * the invocation and the retry policy (as the writer's, without limit) delivers the batch again. It
 * does not poll: run the FHIR source's polling elsewhere (the service, or the timer capture
 * function) as the safety net for events that never arrive.
 */
public final class EventsCaptureFunction {
  private static final Map<Map<String, String>, EventsBatch> BATCHES = new ConcurrentHashMap<>();

  private final Map<String, String> environment;

  /** What the Functions host calls: settings from the app settings. */
  public EventsCaptureFunction() {
    this(System.getenv());
  }

  EventsCaptureFunction(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Publishes what one batch of events names.
   *
   * @param messages the event hub messages: Event Grid or CloudEvents JSON
   * @param systemProperties each message's sequence number and offset, for log positions
   * @throws RuntimeException when the batch is not published; the host then retries it
   */
  @FunctionName("fhirstream-ahds-events")
  @ExponentialBackoffRetry(
      maxRetryCount = -1,
      minimumInterval = "00:00:01",
      maximumInterval = "00:01:00")
  public void capture(
      @EventHubTrigger(
              name = "messages",
              eventHubName = "%FHIRSTREAM_SOURCE_EVENTS_TOPIC%",
              consumerGroup = "%FHIRSTREAM_SOURCE_EVENTS_CONSUMER_GROUP%",
              connection = WriterFunction.CONNECTION,
              dataType = "binary",
              cardinality = Cardinality.MANY)
          List<byte[]> messages,
      @BindingName("SystemPropertiesArray") Map<String, Object>[] systemProperties,
      ExecutionContext context) {
    EventsBatch batch = BATCHES.computeIfAbsent(environment, EventsCaptureFunction::open);
    List<String> positions = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      Object sequence =
          systemProperties == null || systemProperties[i] == null
              ? null
              : systemProperties[i].get("SequenceNumber");
      positions.add("sequence number " + (sequence == null ? "?" : sequence));
    }
    try {
      EventPlan plan = batch.plan(messages, positions);
      int published = batch.deliver(plan);
      context.getLogger().fine(() -> "published " + published + " versions from events");
    } catch (RuntimeException e) {
      context
          .getLogger()
          .log(
              Level.WARNING,
              "events batch of "
                  + messages.size()
                  + " not published, the host will retry it: "
                  + e.getMessage());
      throw e;
    }
  }

  /** The events source's settings from the app settings, and its publisher, kept per worker. */
  private static EventsBatch open(Map<String, String> environment) {
    Settings settings = FunctionsConfig.from(environment, EnumSet.of(Role.SOURCE)).settings();
    if (!settings.sourceFactory().name().equals(EventsSourceFactory.NAME)) {
      throw new ConfigException(
          "source.type",
          "is " + settings.sourceFactory().name() + "; set FHIRSTREAM_SOURCE_TYPE=ahds-events");
    }
    if (settings.runtime().allTypes()) {
      throw new ConfigException(
          "source.resource-types", "is *; list the types the events function captures");
    }
    List<String> types = settings.runtime().resourceTypes();
    SourceConfig fhir = SourceConfig.from(settings.sourceConfig(), types);
    HubConfig hub = settings.hub();
    KafkaEventPublisher publisher =
        new KafkaEventPublisher(
            KafkaClients.producer(hub, "fhirstream-functions-events"),
            new EventCodec(hub, fhir.baseUrl(), settings.runtime().jsonLimits()));
    int parallelism = settings.sourceConfig().getInt("source.events.read-parallelism");
    return new EventsBatch(
        fhir,
        Set.copyOf(types),
        publisher,
        settings.runtime().jsonLimits(),
        Executors.newFixedThreadPool(
            parallelism,
            task -> {
              Thread thread = new Thread(task, "fhirstream-functions-read");
              thread.setDaemon(true);
              return thread;
            }),
        new SimpleMeterRegistry());
  }
}

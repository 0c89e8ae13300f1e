package io.fhirstream.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.EventHubTrigger;
import com.microsoft.azure.functions.annotation.ExponentialBackoffRetry;
import com.microsoft.azure.functions.annotation.FunctionName;
import io.fhirstream.runtime.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

/**
 * The sink role as an Azure Function: triggered by a batch of events on one resource topic's event
 * hub, it writes them through the configured store (version-guarded, idempotent) and returns only
 * once they are durable, so the host checkpoints only what is written.
 *
 * <p>A failure fails the invocation. The Event Hubs trigger checkpoints after a failed invocation
 * too, unless the function has a retry policy: this one retries the same batch with exponential
 * backoff (1 s to 1 min) without limit ({@code maxRetryCount = -1}), so an unavailable store holds
 * the partition where it is, as the service's sink does, instead of skipping the batch. Bad events
 * never fail it: they go to the dead-letter event hub with their reason and the batch goes on.
 */
public final class WriterFunction {
  /** The app setting holding the Event Hubs connection (or its identity-based settings). */
  public static final String CONNECTION = "EventHubsConnection";

  /** One store connection per worker process and set of settings, opened on first use. */
  private static final Map<Map<String, String>, Target> TARGETS = new ConcurrentHashMap<>();

  /** The topic a writer reads and the store it writes to. */
  private record Target(String topic, StoreDelivery delivery) {
    static Target open(Map<String, String> environment) {
      FunctionsConfig config = FunctionsConfig.from(environment, EnumSet.of(Role.SINK));
      return new Target(config.requireWriterEventHub(), StoreDelivery.open(config.settings()));
    }
  }

  private final Map<String, String> environment;

  /** What the Functions host calls: settings from the app settings. */
  public WriterFunction() {
    this(System.getenv());
  }

  /**
   * @param environment the app settings, for tests
   */
  WriterFunction(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Writes one batch.
   *
   * @param events the bodies, in partition order; an empty one is a deletion (tombstone)
   * @param properties each event's application properties (fhirstream's CloudEvents headers)
   * @param systemProperties each event's sequence number, offset, partition key and enqueued time
   * @throws RuntimeException when the batch is not durable; the host then retries it
   */
  @FunctionName("fhirstream-writer")
  @ExponentialBackoffRetry(
      maxRetryCount = -1,
      minimumInterval = "00:00:01",
      maximumInterval = "00:01:00")
  public void write(
      @EventHubTrigger(
              name = "events",
              eventHubName = "%FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB%",
              consumerGroup = "%FHIRSTREAM_FUNCTIONS_WRITER_CONSUMER_GROUP%",
              connection = CONNECTION,
              dataType = "binary",
              cardinality = Cardinality.MANY)
          List<byte[]> events,
      @BindingName("PropertiesArray") Map<String, Object>[] properties,
      @BindingName("SystemPropertiesArray") Map<String, Object>[] systemProperties,
      ExecutionContext context) {
    // A settings or store failure is not cached: the next invocation tries again.
    Target target = TARGETS.computeIfAbsent(environment, Target::open);
    String topic = target.topic();
    try {
      StoreDelivery.Outcome outcome =
          target
              .delivery()
              .deliver(HubRecords.of(topic, events, properties, systemProperties, null));
      context
          .getLogger()
          .fine(
              () ->
                  "wrote "
                      + outcome.written()
                      + " events of "
                      + topic
                      + ", "
                      + outcome.deadLettered()
                      + " dead-lettered");
    } catch (RuntimeException e) {
      // The reason only: messages never quote payloads. The host retries the batch.
      context
          .getLogger()
          .log(
              Level.WARNING,
              "batch of "
                  + events.size()
                  + " events from "
                  + topic
                  + " not written, the host will retry it: "
                  + e.getMessage());
      throw e;
    }
  }
}

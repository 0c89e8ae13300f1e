package io.fhirstream.runtime;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.TopicSetup;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.internal.CrashPoints;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bounded run of the configured change source, for a scheduler that starts capture now and then
 * instead of keeping it running (the timer capture function): the source runs until everything the
 * origin changed before the step began is published, or until the time budget is spent, and is then
 * stopped.
 *
 * <p>Stopping at any point loses nothing: the source commits a cursor (on the hub's cursor topic)
 * only after the hub has acknowledged every change it covers, and the next step starts from it. A
 * first load bigger than one budget goes on over several steps, from where the last one stopped.
 */
public final class CaptureStep {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureStep.class);
  private static final Duration CHECK_EVERY = Duration.ofMillis(200);

  /**
   * What a step did.
   *
   * @param types the resource types captured
   * @param caughtUp whether every type was published past the step's start
   * @param took how long the step ran
   */
  public record Outcome(List<String> types, boolean caughtUp, Duration took) {}

  private CaptureStep() {}

  /**
   * Runs the source of {@code settings} for at most {@code budget}.
   *
   * @throws PipelineException (or the source's own exception) when the source failed; what it had
   *     committed before stays committed
   */
  public static Outcome run(Settings settings, Duration budget, MeterRegistry metrics)
      throws InterruptedException {
    if (settings.runtime().embeddedKafka()) {
      throw new PipelineException(
          "a capture step publishes to a hub that outlives it: set kafka.bootstrap.servers (or"
              + " hub.eventhubs.*) instead of embedded.kafka.enabled");
    }
    Instant began = Instant.now();
    long started = System.nanoTime();
    long deadline = started + budget.toNanos();
    HubConfig hub = settings.hub();
    RuntimeSourceContext context =
        new RuntimeSourceContext(
            settings.runtime(), hub, metrics, CrashPoints.fromSystemProperty());
    try (ChangeSource source = settings.sourceFactory().create(settings.sourceConfig(), context)) {
      List<String> types = source.start();
      TopicSetup.ensure(hub, types);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread runner =
          new Thread(
              () -> {
                try {
                  source.run();
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "fhirstream-capture-step");
      runner.start();
      boolean caughtUp = false;
      try {
        while (failure.get() == null && runner.isAlive() && System.nanoTime() < deadline) {
          caughtUp = types.stream().allMatch(type -> publishedPast(source, type, began));
          if (caughtUp) {
            break;
          }
          Thread.sleep(CHECK_EVERY.toMillis());
        }
      } finally {
        source.stop();
        runner.join(Duration.ofSeconds(30).toMillis());
      }
      rethrow(failure.get());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      LOG.info(
          "capture step: {} types {} in {} ms",
          types.size(),
          caughtUp ? "caught up" : "not yet caught up (the next step goes on)",
          took.toMillis());
      return new Outcome(types, caughtUp, took);
    } finally {
      closeClients(context);
    }
  }

  private static void closeClients(RuntimeSourceContext context) {
    try {
      context.close();
    } catch (Exception e) {
      LOG.warn("capture step: closing the hub clients failed: {}", e.getMessage());
    }
  }

  private static boolean publishedPast(ChangeSource source, String type, Instant began) {
    return source.publishedUpTo(type).map(cursor -> cursor.isAfter(began)).orElse(false);
  }

  private static void rethrow(Throwable failure) {
    if (failure == null) {
      return;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new PipelineException("the capture step failed: " + failure.getMessage(), failure);
  }
}

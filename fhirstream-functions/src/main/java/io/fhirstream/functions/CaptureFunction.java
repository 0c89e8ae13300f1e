package io.fhirstream.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.fhirstream.runtime.CaptureStep;
import io.fhirstream.runtime.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumSet;
import java.util.Map;
import java.util.logging.Level;

/**
 * Capture from the FHIR server as an Azure Function: on a timer, one bounded step of the configured
 * source ({@link CaptureStep}; by default the FHIR source, polling {@code _history} or {@code
 * _lastUpdated} search) publishes what changed since the cursor to the resource topics, with the
 * same headers and guarantees as the long-running service, and stops when it has caught up with the
 * invocation's start or its budget ({@code functions.capture.budget}) is spent.
 *
 * <p>The cursor lives where the service keeps it: on the hub's cursor topic, committed only after
 * the hub acknowledged what it covers, so an invocation that times out or dies loses nothing and
 * the next one goes on from there. Overlapping invocations are safe, and rare: the host runs a
 * timer function as a singleton (a blob lease across instances) and starts no new run while one is
 * still going. Should two overlap anyway (a lease lost mid-run), both read from the committed
 * cursor and publish the same versions: duplicates on the hub, which every store's version guard
 * drops; a cursor committed by the slower one can only be older, which means re-reading, never
 * skipping.
 */
public final class CaptureFunction {
  private final Map<String, String> environment;

  /** What the Functions host calls: settings from the app settings. */
  public CaptureFunction() {
    this(System.getenv());
  }

  CaptureFunction(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs one capture step.
   *
   * @param timer the host's timer information (JSON), unused
   * @throws RuntimeException when the source failed; the next run starts from the last cursor
   */
  @FunctionName("fhirstream-capture")
  public void capture(
      @TimerTrigger(name = "timer", schedule = "%FHIRSTREAM_FUNCTIONS_CAPTURE_SCHEDULE%")
          String timer,
      ExecutionContext context)
      throws InterruptedException {
    FunctionsConfig config = FunctionsConfig.from(environment, EnumSet.of(Role.SOURCE));
    try {
      CaptureStep.Outcome outcome =
          CaptureStep.run(config.settings(), config.captureBudget(), new SimpleMeterRegistry());
      context
          .getLogger()
          .info(
              "capture step: "
                  + outcome.types().size()
                  + " types, "
                  + (outcome.caughtUp() ? "caught up" : "budget spent, the next run goes on")
                  + " in "
                  + outcome.took().toMillis()
                  + " ms");
    } catch (RuntimeException e) {
      context.getLogger().log(Level.WARNING, "capture step failed: " + e.getMessage());
      throw e;
    }
  }
}

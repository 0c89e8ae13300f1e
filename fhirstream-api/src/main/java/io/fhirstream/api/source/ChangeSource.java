package io.fhirstream.api.source;

import io.fhirstream.api.PipelineException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Captures changes where they happen (a FHIR server, an event feed) and publishes them to the event
 * hub through {@link SourceContext#publisher}. The source role runs one per instance.
 *
 * <p>Lifecycle: {@code factory.create(config, context) → start() → run() … stop() → close()}.
 *
 * <ul>
 *   <li>{@link #start} runs on the caller's thread and does everything that can fail for a
 *       configuration reason (the origin unreachable, a capability missing, a type not offered), so
 *       a bad setting stops the program before anything runs. It returns the resource types the
 *       source will publish; the runtime creates their topics before {@link #run}.
 *   <li>{@link #run} runs on a thread of the runtime's until {@link #stop} is called or a fatal
 *       {@link PipelineException} ends it. Transient failures (a server away, the hub away) are the
 *       source's to wait out: it retries with backoff and never skips a change.
 *   <li><b>A cursor moves only after what it covers is durable:</b> a source commits a position to
 *       {@link SourceContext#cursors()} only after the events it covers are acknowledged by the
 *       publisher. A crash then re-reads, never skips.
 *   <li>{@link #stop} is called from another thread; {@code run} returns soon after (the runtime
 *       also interrupts its thread). {@link #close} releases what {@code start} acquired.
 * </ul>
 */
public interface ChangeSource extends AutoCloseable {

  /**
   * Checks the origin and prepares capture.
   *
   * @return the resource types this source publishes, each to its own topic
   * @throws io.fhirstream.api.config.ConfigException or {@link PipelineException} naming what is
   *     wrong and the fix
   */
  List<String> start();

  /** Captures and publishes until stopped. */
  void run();

  /** Asks {@link #run} to return; safe to call from any thread, more than once. */
  void stop();

  /**
   * How far this source has published a type: every change the origin made to it before the
   * returned time is published and acknowledged. Empty before the first position is committed.
   */
  default Optional<Instant> publishedUpTo(String resourceType) {
    return Optional.empty();
  }

  /**
   * Whether the origin answers now, for the readiness probe: empty when it does, else a short
   * reason (e.g. {@code "GET metadata answered 503"}) free of PHI, resource ids and secrets, since
   * a probe shows it unauthenticated. Called from another thread than {@link #run}, after {@link
   * #start}, at most every few seconds; keep it cheap and bounded (one small request with a short
   * timeout, or a recent result). The default knows nothing wrong.
   */
  default Optional<String> originProblem() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}

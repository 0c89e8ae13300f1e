package io.fhirstream.app.demo.fhir;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out write timestamps in milliseconds that are unique and strictly increasing across the
 * whole server.
 *
 * <p>Change capture polls history with {@code _since} and resumes from the newest {@code
 * lastUpdated} it has seen; two versions sharing one millisecond would make that cursor ambiguous.
 * When writes come faster than one per millisecond the timestamps therefore run ahead of the wall
 * clock (by one millisecond per extra write) until the clock catches up again.
 */
final class MonotonicClock {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  MonotonicClock(Clock clock) {
    this.clock = clock;
  }

  /**
   * The wall clock, for times that are not write timestamps (a bundle's {@code meta.lastUpdated}).
   */
  long wallMillis() {
    return clock.millis();
  }

  /** The next timestamp: the wall clock, or one past the previous timestamp if that is later. */
  long next() {
    long now = clock.millis();
    return last.updateAndGet(previous -> Math.max(now, previous + 1));
  }
}

package io.fhirstream.demo.fhir;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out write timestamps in milliseconds that never go backwards across the whole server.
 *
 * <p>Several writes may share one millisecond, as on HAPI JPA and other real servers: change
 * capture must cope with ties (its {@code _since} is inclusive and it drops repeats), and the demo
 * exercises that. Timestamps never run ahead of the wall clock, so latency measured against {@code
 * lastUpdated} stays honest even right after bulk seeding.
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

  /** The next timestamp: the wall clock, or the previous timestamp if the clock stepped back. */
  long next() {
    long now = clock.millis();
    return last.updateAndGet(previous -> Math.max(now, previous));
  }
}

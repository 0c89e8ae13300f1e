package io.fhirstream.api;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with jitter, the one policy every retry in fhirstream uses. A
 * server's own hint (Retry-After) wins, capped at the maximum so a hostile value cannot stall us
 * for days.
 *
 * @param initial the delay before the first retry
 * @param max the longest delay
 */
public record Backoff(Duration initial, Duration max) {

  /** The default: 500 ms doubling to 30 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  /**
   * The delay before retry number {@code attempt} (1-based).
   *
   * @param serverHint a delay the server asked for, or null
   */
  public Duration delay(int attempt, Duration serverHint) {
    if (serverHint != null && !serverHint.isNegative()) {
      return serverHint.compareTo(max) > 0 ? max : serverHint;
    }
    long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    long capped = Math.min(base, max.toMillis());
    // Up to 20% jitter so that many instances do not retry in lockstep.
    long jitter = (long) (capped * 0.2 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(capped - jitter);
  }
}

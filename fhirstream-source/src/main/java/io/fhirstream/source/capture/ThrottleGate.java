package io.fhirstream.source.capture;

import java.util.concurrent.CancellationException;

/**
 * How many readers may have a request out at once: starts at the configured parallelism, halves
 * when the server throttles (HTTP 429), and grows back by one after a run of pages read without
 * throttling — additive increase, multiplicative decrease, as TCP does, so a busy server sheds load
 * at once and gets it back gradually.
 */
final class ThrottleGate {
  private final int max;
  private final int pagesToGrow;
  private int limit; // guarded by this
  private int inFlight; // guarded by this
  private int cleanPages; // guarded by this
  private long throttledSeen; // guarded by this

  ThrottleGate(int max, long throttledSoFar) {
    this.max = max;
    this.throttledSeen = throttledSoFar;
    this.limit = max;
    this.pagesToGrow = 4 * max;
  }

  /** Waits for a free slot. */
  synchronized void enter() {
    while (inFlight >= limit) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while waiting to read");
      }
    }
    inFlight++;
  }

  /**
   * Frees the slot taken by {@link #enter()}.
   *
   * @param throttledSoFar the 429 answers the readers' client has had so far: more than at the last
   *     call means the server throttled, once per call however many readers saw it
   */
  synchronized void leave(long throttledSoFar) {
    inFlight--;
    if (throttledSoFar > throttledSeen) {
      throttledSeen = throttledSoFar;
      limit = Math.max(1, limit / 2);
      cleanPages = 0;
    } else if (limit < max && ++cleanPages >= pagesToGrow) {
      limit++;
      cleanPages = 0;
    }
    notifyAll();
  }

  synchronized int limit() {
    return limit;
  }
}

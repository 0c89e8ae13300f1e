package io.fhirstream.ops;

import io.micrometer.core.instrument.Clock;

/**
 * A clock running {@code speed} times faster than real time, so a browser test can fill the
 * dashboard's five-minute charts in seconds while the endpoint runs as in production.
 */
final class FastClock implements Clock {
  private final long speed;
  private final long startNanos = System.nanoTime();
  private final long startWall = System.currentTimeMillis();

  FastClock(long speed) {
    this.speed = speed;
  }

  @Override
  public long monotonicTime() {
    return startNanos + (System.nanoTime() - startNanos) * speed;
  }

  @Override
  public long wallTime() {
    return startWall + (System.nanoTime() - startNanos) * speed / 1_000_000;
  }

  /** Seconds of this clock's time since it was made. */
  double elapsedSeconds() {
    return (monotonicTime() - startNanos) / 1e9;
  }
}

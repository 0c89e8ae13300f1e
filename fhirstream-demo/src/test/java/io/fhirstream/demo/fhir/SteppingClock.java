package io.fhirstream.demo.fhir;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it, to provoke same-millisecond writes. */
final class SteppingClock extends Clock {
  private volatile long millis;

  SteppingClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  void set(Instant instant) {
    millis = instant.toEpochMilli();
  }

  void advanceMillis(long delta) {
    millis += delta;
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}

package io.fhirstream.api;

import java.time.Clock;

/** What the runtime hands a {@link DocumentSink}: no sink reaches for globals. */
public interface SinkContext {

  /** Where to report events the store rejects on their own merits. */
  DeadLetterReporter deadLetters();

  /** The clock to use for anything time-based, so tests can control it. */
  default Clock clock() {
    return Clock.systemUTC();
  }
}

package io.fhirstream.api.store;

import io.fhirstream.api.DeadLetterReporter;
import java.time.Clock;

/** What the runtime hands a {@link DocumentWriter}: no writer reaches for globals. */
public interface WriterContext {

  /** Where to report events the store rejects on their own merits. */
  DeadLetterReporter deadLetters();

  /** The clock to use for anything time-based, so tests can control it. */
  default Clock clock() {
    return Clock.systemUTC();
  }
}

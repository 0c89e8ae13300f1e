package io.fhirstream.analytics.stream;

/**
 * Told what the topology did, for metrics; called on stream threads, so implementations must be
 * thread-safe and quick. Every method defaults to doing nothing.
 */
public interface AnalyticsObserver {
  AnalyticsObserver NONE = new AnalyticsObserver() {};

  /** A resource version was applied (its rows and contributions replaced the previous ones). */
  default void applied(String resourceType) {}

  /** A version arrived again, or an older one after a newer one: dropped. */
  default void duplicate(String resourceType) {}

  /** A record went to the dead-letter topic. */
  default void deadLetter(String resourceType) {}

  /** A change of a windowed aggregate's window came in after the window's end plus grace. */
  default void late(String aggregate) {}

  /** A row of a windowed aggregate had no time in its window column: it is in no window. */
  default void noEventTime(String aggregate) {}

  /** A result document of an aggregate changed. */
  default void result(String aggregate) {}
}

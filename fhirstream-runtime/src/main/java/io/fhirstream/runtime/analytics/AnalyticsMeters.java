package io.fhirstream.runtime.analytics;

import io.fhirstream.analytics.stream.AnalyticsObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The analytics role's counters, from what the topology reports. */
final class AnalyticsMeters implements AnalyticsObserver {
  private final MeterRegistry registry;

  AnalyticsMeters(MeterRegistry registry) {
    this.registry = registry;
    // Registered up front so that they read 0 rather than being absent.
    applied(null);
    duplicate(null);
    deadLetter(null);
  }

  private Counter counter(String name, String description, String tag, String value) {
    Counter.Builder builder = Counter.builder(name).description(description);
    if (tag != null && value != null) {
      builder.tag(tag, value);
    }
    return builder.register(registry);
  }

  @Override
  public void applied(String resourceType) {
    Counter c =
        counter(
            "fhirstream.analytics.applied",
            "Resource versions whose rows and contributions the analytics role applied",
            "type",
            resourceType);
    if (resourceType != null) {
      c.increment();
    }
  }

  @Override
  public void duplicate(String resourceType) {
    Counter c =
        counter(
            "fhirstream.analytics.duplicates",
            "Versions the analytics role had already applied (or older ones): dropped",
            "type",
            resourceType);
    if (resourceType != null) {
      c.increment();
    }
  }

  @Override
  public void deadLetter(String resourceType) {
    Counter c =
        counter(
            "fhirstream.analytics.dead-letters",
            "Records the analytics role sent to the dead-letter topic",
            "type",
            resourceType);
    if (resourceType != null) {
      c.increment();
    }
  }

  @Override
  public void late(String aggregate) {
    counter(
            "fhirstream.analytics.late",
            "Changes of a window written after its end plus grace (counted, and corrected)",
            "aggregate",
            aggregate)
        .increment();
  }

  @Override
  public void noEventTime(String aggregate) {
    counter(
            "fhirstream.analytics.no-event-time",
            "Rows of a windowed aggregate without a time: in no window",
            "aggregate",
            aggregate)
        .increment();
  }

  @Override
  public void result(String aggregate) {
    counter(
            "fhirstream.analytics.results",
            "Changes of aggregate result documents",
            "aggregate",
            aggregate)
        .increment();
  }
}

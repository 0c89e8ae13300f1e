package io.fhirstream.api;

/**
 * Sends an event that cannot be handled to the dead-letter topic with the reason, so that nothing
 * is dropped silently and the partition keeps moving.
 */
@FunctionalInterface
public interface DeadLetterReporter {

  /**
   * Reports one event. The reason is stored in a header and may be logged: it must name what is
   * wrong and never quote patient data.
   */
  void report(ChangeEvent event, String reason);
}

package io.fhirstream.fault;

/**
 * One scenario's outcome.
 *
 * @param faults what was injected, e.g. "20 × kill -9"
 */
record ScenarioResult(
    String name,
    String description,
    long changes,
    String faults,
    Verdict verdict,
    double seconds,
    String notes) {

  boolean passed() {
    return verdict.passed() && (notes == null || !notes.startsWith("FAILED"));
  }
}

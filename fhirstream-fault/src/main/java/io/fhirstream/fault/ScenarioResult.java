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

  /** A scenario that could not run here (its notes say why): it fails nothing, proves nothing. */
  boolean skipped() {
    return notes != null && notes.startsWith("skipped");
  }

  /** PASS, FAIL or SKIP, for the report. */
  String outcome() {
    return skipped() ? "SKIP" : passed() ? "PASS" : "FAIL";
  }
}

package io.fhirstream.source;

/** How changes are read from the FHIR server. */
public enum CaptureMode {
  /** {@code GET [base]/{Type}/_history?_since=…}: sees every version, deletions included. */
  HISTORY,
  /**
   * {@code GET [base]/{Type}?_lastUpdated=ge…}: for servers without type history; misses deletions.
   */
  SEARCH
}

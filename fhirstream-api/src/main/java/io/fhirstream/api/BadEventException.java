package io.fhirstream.api;

/**
 * One event cannot be handled on its own merits (not JSON, no id, wrong type): it goes to the
 * dead-letter topic with this message as the reason. The message never quotes patient data.
 */
public class BadEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadEventException(String reason) {
    super(reason);
  }
}

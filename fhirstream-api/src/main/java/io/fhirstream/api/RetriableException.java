package io.fhirstream.api;

/**
 * A transient failure (timeout, throttling, lost connection): the runtime retries with bounded
 * exponential backoff. The message must say what failed; it must not contain credentials or patient
 * data.
 */
public class RetriableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetriableException(String message, Throwable cause) {
    super(message, cause);
  }

  public RetriableException(String message) {
    super(message);
  }
}

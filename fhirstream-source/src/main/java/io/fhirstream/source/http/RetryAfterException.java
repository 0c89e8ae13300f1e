package io.fhirstream.source.http;

import io.fhirstream.api.RetriableException;
import java.time.Duration;

/** A transient failure, with the delay the server asked for when it sent {@code Retry-After}. */
public class RetryAfterException extends RetriableException {
  private static final long serialVersionUID = 1L;
  private final transient Duration retryAfter;

  public RetryAfterException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /** The server's requested delay, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}

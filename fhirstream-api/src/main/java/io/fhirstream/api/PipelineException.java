package io.fhirstream.api;

/**
 * A failure that retrying cannot fix: the component stops with this message, which says what
 * happened, to what, and what to do next.
 */
public class PipelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineException(String message, Throwable cause) {
    super(message, cause);
  }

  public PipelineException(String message) {
    super(message);
  }
}

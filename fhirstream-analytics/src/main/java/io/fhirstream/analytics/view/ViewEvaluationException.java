package io.fhirstream.analytics.view;

/**
 * A valid view could not make rows from one resource: a column declared without {@code collection:
 * true} produced several values, a {@code where} path gave something other than a boolean, or the
 * FHIRPath engine failed on this resource's content.
 *
 * <p>The failure belongs to the resource, not to the view: a caller treats it as a per-event error
 * (dead letter) and goes on with the next resource. The message names the view, the element, the
 * resource type and id, and never a value from the resource (values are patient data).
 */
public class ViewEvaluationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ViewEvaluationException(String message) {
    super(message);
  }

  public ViewEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.fhirstream.analytics.view.internal;

/** A FHIRPath expression that a view may not use; the compiler adds the view and element. */
final class PathProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean unknownElement;

  PathProblem(String message) {
    this(message, false);
  }

  PathProblem(String message, boolean unknownElement) {
    super(message, null, false, false);
    this.unknownElement = unknownElement;
  }

  /** Whether the problem is only that an element does not exist on the type it is read from. */
  boolean unknownElement() {
    return unknownElement;
  }
}

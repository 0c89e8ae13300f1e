package io.fhirstream.cli;

/**
 * A command could not do its work for a reason the user can fix (a port in use, a file that cannot
 * be written): printed as its message alone on one line, exit 1.
 */
final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CommandFailedException(String message) {
    super(message);
  }
}

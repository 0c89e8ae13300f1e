package io.fhirstream.api.config;

/**
 * A credential from configuration. Its {@code toString} never shows the value, so a secret held in
 * a record or a log argument cannot leak by accident.
 */
public record Secret(String value) {
  @Override
  public String toString() {
    return "[hidden]";
  }
}

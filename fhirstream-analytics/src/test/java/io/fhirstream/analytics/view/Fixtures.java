package io.fhirstream.analytics.view;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test fixtures from src/test/resources/fixtures, and one runner for all tests of a class. */
final class Fixtures {
  static final ViewRunner RUNNER = ViewRunner.forR4();

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ParsedResource resource(String name) {
    return RUNNER.parse(bytes(name));
  }

  static CompiledView view(String json) {
    return RUNNER.compile(ViewDefinition.fromJson(json, "test.json"));
  }
}

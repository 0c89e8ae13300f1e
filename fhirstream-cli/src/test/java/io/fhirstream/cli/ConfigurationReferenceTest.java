package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed reference is the generated one: documentation cannot drift from the code. */
class ConfigurationReferenceTest {

  @Test
  void committedReferenceMatchesTheDeclarations() throws IOException {
    Path committed = Path.of("..", "docs", "CONFIGURATION.md");
    assertThat(Files.readString(committed))
        .as(
            "docs/CONFIGURATION.md is stale: run ./fhirstream config-reference --output"
                + " docs/CONFIGURATION.md")
        .isEqualTo(ConfigReferenceCommand.render());
  }

  @Test
  void everyDeclaredKeyIsDocumentedWithItsEnvironmentVariable() {
    String reference = ConfigReferenceCommand.render();
    assertThat(reference)
        .contains("`source.fhir.base-url`", "`FHIRSTREAM_SOURCE_FHIR_BASE_URL`")
        .contains("`store.sqlite.path`", "`hub.topic-prefix`", "`store.type`");
  }
}

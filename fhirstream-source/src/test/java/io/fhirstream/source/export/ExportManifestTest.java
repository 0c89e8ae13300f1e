package io.fhirstream.source.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExportManifestTest {
  private static final URI STATUS = URI.create("https://fhir.example.org/fhir/$export-status/9");

  @Test
  void readsTheCompleteStatusOfTheBulkDataIg() {
    String body =
        """
        {"transactionTime":"2024-05-01T10:00:00.123+02:00",
         "request":"https://fhir.example.org/fhir/$export?_type=Patient,Observation",
         "requiresAccessToken":true,
         "output":[{"type":"Patient","url":"https://fhir.example.org/files/1.ndjson","count":2},
                   {"type":"Observation","url":"files/2.ndjson"}],
         "error":[{"type":"OperationOutcome","url":"https://fhir.example.org/files/err.ndjson"}]}
        """;

    ExportManifest manifest = ExportManifest.parse(body.getBytes(StandardCharsets.UTF_8), STATUS);

    assertThat(manifest.transactionTime()).isEqualTo(Instant.parse("2024-05-01T08:00:00.123Z"));
    assertThat(manifest.requiresAccessToken()).isTrue();
    assertThat(manifest.output())
        .containsExactly(
            new ExportManifest.File(
                "Patient", URI.create("https://fhir.example.org/files/1.ndjson"), 2),
            new ExportManifest.File(
                "Observation",
                URI.create("https://fhir.example.org/fhir/$export-status/files/2.ndjson"),
                -1));
    assertThat(manifest.errors()).hasSize(1);
  }

  @Test
  void aManifestWithoutTransactionTimeIsRefusedNamingTheProblem() {
    assertThatThrownBy(
            () -> ExportManifest.parse("{\"output\":[]}".getBytes(StandardCharsets.UTF_8), STATUS))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("no transactionTime");
  }
}

package io.fhirstream.jpaserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransactionResponseTest {
  private static byte[] resource(String name) throws Exception {
    return Files.readAllBytes(Path.of("src/test/resources/responses", name));
  }

  @Test
  void countsOnlyCreatedEntriesPerTypeAndKeepsEveryLocation() throws Exception {
    TransactionResponse response =
        TransactionResponse.parse("patient-1.json", resource("transaction-response.json"));

    assertThat(response.createdByType()).isEqualTo(Map.of("Patient", 1L, "Observation", 2L));
    assertThat(response.locations())
        .containsExactly(
            "Patient/1000/_history/1",
            "Observation/1001/_history/1",
            "Observation/1002/_history/1",
            "Organization/7/_history/4");
  }

  @Test
  void anAnswerThatIsNoTransactionResponseIsRefusedByName() throws Exception {
    assertThatThrownBy(
            () -> TransactionResponse.parse("b.json", resource("operation-outcome.json")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("b.json")
        .hasMessageContaining("OperationOutcome");
    assertThatThrownBy(
            () -> TransactionResponse.parse("c.json", "<html>".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("unreadable");
  }

  @Test
  void diagnosticsListEveryIssueButNeverTheNarrative() throws Exception {
    String diagnostics = TransactionResponse.diagnostics(resource("operation-outcome.json"));

    assertThat(diagnostics)
        .isEqualTo(
            "error processing: Resource Patient/no-such-patient not found, specified in path:"
                + " Observation.subject; warning invalid: ");
    assertThat(diagnostics).doesNotContain("Jane", "1961");
  }

  @Test
  void aBodyThatIsNoOperationOutcomeGivesNoDiagnosticsRatherThanItsContent() {
    byte[] patient =
        "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Example\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(TransactionResponse.diagnostics(patient)).isEmpty();
    assertThat(TransactionResponse.diagnostics("Example".getBytes(StandardCharsets.UTF_8)))
        .isEmpty();
  }

  @Test
  void resourceTypeIsReadFromRelativeAbsoluteAndUnversionedLocations() {
    for (String location :
        List.of(
            "Encounter/12/_history/3",
            "Encounter/12",
            "http://127.0.0.1:8090/fhir/Encounter/12/_history/1")) {
      assertThat(TransactionResponse.resourceType(location)).as(location).isEqualTo("Encounter");
    }
    assertThatThrownBy(() -> TransactionResponse.resourceType("12")).hasMessageContaining("'12'");
  }
}

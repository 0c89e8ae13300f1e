package io.fhirstream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.junit.jupiter.api.Test;

/** Which types are captured: {@code *} resolved from the CapabilityStatement, explicit lists. */
class ResourceTypesTest {

  private static SourceConfig config(String types) {
    return SourceConfig.from(
        SourceConfig.DEFINITION.parse(Map.of("source.fhir.base-url", "http://127.0.0.1:1/fhir")),
        List.of(types.split(",")));
  }

  /**
   * Patient and Observation with history, Encounter and Subscription with search only, Binary with
   * read only.
   */
  private static CapabilityStatement statement() {
    CapabilityStatement statement = new CapabilityStatement();
    statement.setFhirVersion(FHIRVersion._4_0_1);
    CapabilityStatementRestComponent rest = statement.addRest();
    resource(rest, "Patient", TypeRestfulInteraction.HISTORYTYPE, TypeRestfulInteraction.READ);
    resource(rest, "Binary", TypeRestfulInteraction.READ, TypeRestfulInteraction.CREATE);
    resource(
        rest, "Observation", TypeRestfulInteraction.SEARCHTYPE, TypeRestfulInteraction.HISTORYTYPE);
    resource(rest, "Encounter", TypeRestfulInteraction.SEARCHTYPE);
    resource(rest, "Subscription", TypeRestfulInteraction.SEARCHTYPE);
    return statement;
  }

  private static void resource(
      CapabilityStatementRestComponent rest, String type, TypeRestfulInteraction... interactions) {
    var resource = rest.addResource().setType(type);
    for (TypeRestfulInteraction interaction : interactions) {
      resource.addInteraction().setCode(interaction);
    }
  }

  @Test
  void starLeavesOutSubscriptionsWhoseHeadersCarrySecretsButAListMayNameThem() {
    assertThat(ServerCapabilities.captureModes(statement(), config("*"), Optional.empty()))
        .doesNotContainKey("Subscription");
    assertThat(
            ServerCapabilities.captureModes(
                statement(), config("Patient,Subscription"), Optional.empty()))
        .containsKeys("Patient", "Subscription");
  }

  @Test
  void starResolvesToEveryTypeWithHistoryOrSearchSortedByName() {
    Map<String, CaptureMode> modes =
        ServerCapabilities.captureModes(statement(), config("*"), Optional.empty());

    assertThat(modes)
        .containsExactly(
            Map.entry("Encounter", CaptureMode.SEARCH),
            Map.entry("Observation", CaptureMode.HISTORY),
            Map.entry("Patient", CaptureMode.HISTORY));
  }

  @Test
  void explicitTypesKeepTheirOrder() {
    Map<String, CaptureMode> modes =
        ServerCapabilities.captureModes(
            statement(), config("Patient,Encounter,Observation"), Optional.empty());

    assertThat(modes.keySet()).containsExactly("Patient", "Encounter", "Observation");
  }

  @Test
  void aTypeTheServerDoesNotListStopsTheStartNamingTheKey() {
    assertThatThrownBy(
            () ->
                ServerCapabilities.captureModes(
                    statement(), config("Patient,Medication"), Optional.empty()))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("source.resource-types:")
        .hasMessageContaining("does not list Medication")
        .hasMessageContaining("remove it from source.resource-types");
  }

  @Test
  void aTypeListedWithoutHistoryOrSearchStopsTheStartNamingTheKey() {
    assertThatThrownBy(
            () -> ServerCapabilities.captureModes(statement(), config("Binary"), Optional.empty()))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("source.resource-types:")
        .hasMessageContaining("neither history-type nor search-type on Binary");
  }

  @Test
  void starOnAServerOfferingNothingToCaptureSaysToListTheTypes() {
    CapabilityStatement empty = new CapabilityStatement().setFhirVersion(FHIRVersion._4_0_1);
    resource(empty.addRest(), "Binary", TypeRestfulInteraction.READ);

    assertThatThrownBy(() -> ServerCapabilities.captureModes(empty, config("*"), Optional.empty()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("source.resource-types=*")
        .hasMessageContaining("list the types to capture in source.resource-types");
  }

  @Test
  void starIsAllTypes() {
    assertThat(config("*").allTypes()).isTrue();
    assertThat(config("Patient").allTypes()).isFalse();
  }
}

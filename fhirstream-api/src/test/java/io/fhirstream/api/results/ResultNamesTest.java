package io.fhirstream.api.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.PipelineException;
import org.junit.jupiter.api.Test;

class ResultNamesTest {

  @Test
  void resourceTypesInAnyCaseAreRefused() {
    for (String name : new String[] {"patient", "PATIENT", "Observation", "medicationrequest"}) {
      assertThatThrownBy(() -> ResultNames.requireUsableViewName(name))
          .isInstanceOf(PipelineException.class)
          .hasMessageStartingWith("view " + name + " cannot be stored")
          .hasMessageContaining("FHIR resource type")
          .hasMessageEndingWith("rename the view");
    }
  }

  @Test
  void theStoresOwnTablesAreRefusedInAnyCase() {
    for (String name : new String[] {"aggregate_results", "VIEW_VERSIONS", "View_Definitions"}) {
      assertThatThrownBy(() -> ResultNames.requireUsableViewName(name))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("the store keeps");
    }
  }

  @Test
  void namesShapedLikeAResourceTypeAreRefusedWithASuggestion() {
    assertThatThrownBy(() -> ResultNames.requireUsableViewName("Summary"))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("e.g. use summary or summary_view");
  }

  @Test
  void ordinaryViewNamesPass() {
    for (String name :
        new String[] {"patient_demographics", "observation_values", "patients", "Summary2", "x"}) {
      assertThatCode(() -> ResultNames.requireUsableViewName(name)).doesNotThrowAnyException();
    }
    assertThat(ResultNames.clash("Patient_names")).isNull();
  }
}

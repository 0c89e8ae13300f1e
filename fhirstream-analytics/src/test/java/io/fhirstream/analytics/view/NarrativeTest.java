package io.fhirstream.analytics.view;

import static io.fhirstream.analytics.view.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.analytics.view.internal.Narrative;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** The narrative is left out of parsing until a view may read it. */
class NarrativeTest {
  private static final String TEXT_VIEW =
      """
      {"name": "narratives", "resource": "Patient",
       "select": [{"column": [{"name": "status", "path": "text.status"}]}]}""";

  @Test
  void narrativeIsLeftOutWhileNoViewReadsIt() {
    ViewRunner runner = ViewRunner.forR4();
    runner.loadClasspath(BuiltInViews.PATIENT_DEMOGRAPHICS);
    Patient patient = (Patient) runner.parse(bytes("synthea-patient.json")).resource();
    assertThat(patient.hasText()).isFalse();
    assertThat(patient.getName().get(0).getFamily()).isEqualTo("Abshire");
  }

  @Test
  void aViewThatReadsTheNarrativeKeepsItForLaterParses() {
    ViewRunner runner = ViewRunner.forR4();
    ParsedResource before = runner.parse(bytes("synthea-patient.json"));
    CompiledView view = runner.compile(ViewDefinition.fromJson(TEXT_VIEW, "t.json"));
    assertThat(view.readsNarrative()).isTrue();
    assertThat(view.rows(runner.parse(bytes("synthea-patient.json"))).get(0).get("status"))
        .isEqualTo("generated");
    assertThatThrownBy(() -> view.rows(before))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reads the narrative (text), which was left out");
  }

  @Test
  void builtInViewsDoNotReadTheNarrative() {
    ViewRunner runner = ViewRunner.forR4();
    for (String path : BuiltInViews.ALL) {
      assertThat(runner.loadClasspath(path).readsNarrative()).as(path).isFalse();
    }
  }

  @Test
  void leavingOutTheNarrativeKeepsEveryOtherTokenExactly() throws Exception {
    String json =
        """
        {"resourceType": "Observation", "id": "o", "text": {"status": "generated",
          "div": "<div xmlns=\\"http://www.w3.org/1999/xhtml\\">secret</div>"},
         "valueQuantity": {"value": 1.000, "unit": "kg"}, "component": [{"valueInteger": 7}],
         "contained": [{"resourceType": "Patient", "id": "c",
           "text": {"status": "generated", "div": "<div>kept</div>"}}],
         "status": "final", "note": [{"text": "a note"}]}""";
    byte[] out = Narrative.withoutNarrative(json.getBytes(StandardCharsets.UTF_8));
    String result = new String(out, StandardCharsets.UTF_8);
    assertThat(result)
        .contains("\"value\":1.000")
        .doesNotContain("secret")
        .contains("<div>kept</div>")
        .contains("\"text\":\"a note\"");
    ObjectMapper mapper = new ObjectMapper();
    JsonNode expected =
        ((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json)).without("text");
    assertThat(mapper.readTree(out)).isEqualTo(expected);
  }

  @Test
  void resourceWithoutNarrativeIsParsedAsItCame() throws Exception {
    byte[] json = bytes("heart-rate-observation.json");
    assertThat(Narrative.withoutNarrative(json)).isSameAs(json);
  }
}

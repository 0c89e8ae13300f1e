package io.fhirstream.demo.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.util.List;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class SyntheticRecordsTest {
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static IParser strictParser() {
    return FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  private static List<Resource> record(SyntheticRecords records, int i) {
    return List.of(
        records.encounter("p" + i),
        records.observation("p" + i, "e" + i),
        records.observation("p" + i, null),
        records.condition("p" + i, "e" + i));
  }

  @Test
  void resourcesAndTheirUpdatesSurviveAStrictParserRoundTripUnchanged() {
    SyntheticRecords records = new SyntheticRecords(1);
    for (int i = 0; i < 50; i++) {
      for (Resource resource : record(records, i)) {
        for (Resource version : List.of(resource, records.mutate(resource))) {
          String json = FHIR.newJsonParser().encodeResourceToString(version);
          Resource parsed = (Resource) strictParser().parseResource(json);
          assertThat(parsed.equalsDeep(version)).as("round trip of %s", json).isTrue();
        }
      }
    }
  }

  @Test
  void everyResourceRefersToItsPatientAndEncounter() {
    SyntheticRecords records = new SyntheticRecords(2);
    Encounter encounter = records.encounter("42");
    Observation observation = records.observation("42", "7");
    Condition condition = records.condition("42", "7");

    assertThat(encounter.getSubject().getReference()).isEqualTo("Patient/42");
    assertThat(observation.getSubject().getReference()).isEqualTo("Patient/42");
    assertThat(observation.getEncounter().getReference()).isEqualTo("Encounter/7");
    assertThat(condition.getSubject().getReference()).isEqualTo("Patient/42");
    assertThat(condition.getEncounter().getReference()).isEqualTo("Encounter/7");
    assertThat(records.observation("42", null).hasEncounter()).isFalse();
  }

  @Test
  void codesComeFromTheTerminologiesSyntheaUses() {
    SyntheticRecords records = new SyntheticRecords(3);
    for (int i = 0; i < 100; i++) {
      Observation observation = records.observation("1", null);
      assertThat(observation.getCode().getCodingFirstRep().getSystem())
          .isEqualTo(SyntheticRecords.LOINC);
      assertThat(observation.getValueQuantity().getSystem()).isEqualTo("http://unitsofmeasure.org");
      assertThat(records.condition("1", null).getCode().getCodingFirstRep().getSystem())
          .isEqualTo(SyntheticRecords.SNOMED);
      assertThat(records.encounter("1").getTypeFirstRep().getCodingFirstRep().getSystem())
          .isEqualTo(SyntheticRecords.SNOMED);
    }
  }

  @Test
  void anUpdateAlwaysChangesTheResourceAndLeavesTheOriginalAlone() {
    SyntheticRecords records = new SyntheticRecords(4);
    for (int i = 0; i < 200; i++) {
      for (Resource resource : record(records, i)) {
        resource.setId(Integer.toString(i));
        Resource before = resource.copy();
        Resource changed = records.mutate(resource);
        Resource twice = records.mutate(changed);

        assertThat(resource.equalsDeep(before)).isTrue();
        assertThat(changed.equalsDeep(resource)).as("%s changed", resource.fhirType()).isFalse();
        assertThat(twice.equalsDeep(changed)).as("%s changed again", resource.fhirType()).isFalse();
        assertThat(changed.getIdElement().getIdPart()).isEqualTo(Integer.toString(i));
      }
    }
  }

  @Test
  void sameSeedSameRecords() {
    String a =
        FHIR.newJsonParser().encodeResourceToString(new SyntheticRecords(9).condition("1", "2"));
    String b =
        FHIR.newJsonParser().encodeResourceToString(new SyntheticRecords(9).condition("1", "2"));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void patientsAreNotMutatedHere() {
    assertThatThrownBy(() -> new SyntheticRecords(5).mutate(new Patient()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

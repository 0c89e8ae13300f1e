package io.fhirstream.demo.patients;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class SyntheticPatientsTest {
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static IParser strictParser() {
    return FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  @Test
  void patientsSurviveAStrictParserRoundTripUnchanged() {
    SyntheticPatients generator = new SyntheticPatients(1);
    for (int i = 0; i < 60; i++) {
      Patient patient = i % 2 == 0 ? generator.next() : generator.mutate(generator.next());
      String json = FHIR.newJsonParser().encodeResourceToString(patient);
      Patient parsed = strictParser().parseResource(Patient.class, json);
      assertThat(parsed.equalsDeep(patient)).as("round trip of patient %d", i).isTrue();
    }
  }

  @Test
  void everyPatientHasTheFieldsAPipelineExpects() {
    SyntheticPatients generator = new SyntheticPatients(2);
    for (int i = 0; i < 500; i++) {
      Patient p = generator.next();
      assertThat(p.hasId()).isFalse();
      assertThat(p.getNameFirstRep().getFamily()).isNotBlank();
      assertThat(p.getNameFirstRep().getGiven()).isNotEmpty();
      assertThat(p.getGender()).isNotNull();
      assertThat(p.getBirthDateElement().getValueAsString()).matches("\\d{4}-\\d{2}-\\d{2}");
      LocalDate birth = LocalDate.parse(p.getBirthDateElement().getValueAsString());
      assertThat(birth).isBetween(LocalDate.of(1925, 1, 1), LocalDate.of(2024, 12, 31));
      assertThat(p.getAddressFirstRep().getLine()).isNotEmpty();
      assertThat(p.getAddressFirstRep().getCity()).isNotBlank();
      assertThat(p.getAddressFirstRep().getState()).matches("[A-Z]{2}");
      assertThat(p.getAddressFirstRep().getPostalCode()).matches("\\d{5}(-\\d{4})?");
      assertThat(p.getAddressFirstRep().getCountry()).isEqualTo("US");
      assertThat(p.getTelecom())
          .extracting(t -> t.getSystem())
          .containsExactlyInAnyOrder(ContactPointSystem.PHONE, ContactPointSystem.EMAIL);
      assertThat(p.getTelecom()).allSatisfy(t -> assertThat(t.getValue()).isNotBlank());
      assertThat(
              p.getTelecom().stream()
                  .filter(t -> t.getSystem() == ContactPointSystem.EMAIL)
                  .findFirst()
                  .orElseThrow()
                  .getValue())
          .matches("[a-z]+\\.[a-z]+\\d*@example\\.(com|net|org)");
      assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo(SyntheticPatients.MRN_SYSTEM);
      assertThat(p.getIdentifierFirstRep().getValue()).matches("M\\d{9}");
      assertThat(p.getMaritalStatus().getCodingFirstRep().getSystem())
          .isEqualTo(SyntheticPatients.MARITAL_STATUS_SYSTEM);
      assertThat(p.getMaritalStatus().getCodingFirstRep().getCode()).isIn("S", "M", "D", "W", "L");
      assertThat(p.hasActive()).isTrue();
    }
  }

  @Test
  void theSameSeedGivesTheSamePatientsAndAnotherSeedOthers() {
    List<String> first = encode(new SyntheticPatients(99), 50);
    List<String> again = encode(new SyntheticPatients(99), 50);
    List<String> other = encode(new SyntheticPatients(100), 50);

    assertThat(again).isEqualTo(first);
    assertThat(other).doesNotContainAnyElementsOf(first);
  }

  private static List<String> encode(SyntheticPatients generator, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> i % 2 == 0 ? generator.next() : generator.mutate(generator.next()))
        .map(p -> FHIR.newJsonParser().encodeResourceToString(p))
        .collect(Collectors.toList());
  }

  @Test
  void mutateChangesSomethingRealisticAndLeavesTheOriginalAlone() {
    SyntheticPatients generator = new SyntheticPatients(3);
    for (int i = 0; i < 300; i++) {
      Patient original = generator.next();
      original.setId("Patient/" + i + "/_history/1");
      Patient before = original.copy();

      Patient changed = generator.mutate(original);

      assertThat(original.equalsDeep(before)).isTrue();
      assertThat(changed.equalsDeep(original)).as("mutation %d changed nothing", i).isFalse();
      assertThat(changed.getIdElement().getIdPart()).isEqualTo(Integer.toString(i));
      assertThat(changed.getIdentifierFirstRep().getValue())
          .isEqualTo(original.getIdentifierFirstRep().getValue());
      assertThat(changed.getBirthDate()).isEqualTo(original.getBirthDate());
      assertThat(changed.getTelecom()).hasSize(2);
      assertThat(changed.getAddress()).hasSize(1);
    }
  }

  @Test
  void medicalRecordNumbersAreUnique() {
    SyntheticPatients generator = new SyntheticPatients(4);
    Set<String> mrns = new HashSet<>();
    for (int i = 0; i < 30_000; i++) {
      mrns.add(generator.next().getIdentifierFirstRep().getValue());
    }
    assertThat(mrns).hasSize(30_000);
  }
}

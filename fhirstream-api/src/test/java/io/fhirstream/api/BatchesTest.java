package io.fhirstream.api;

import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void keepsTheNewestEventPerResource() {
    ChangeEvent delete5 = patientDeletion("p1", 5);
    List<ChangeEvent> batch =
        List.of(
            patientVersion("p1", 3),
            patientVersion("p1", 1),
            delete5,
            patientVersion("p1", 4),
            patientVersion("p1", 2));

    assertThat(Batches.newestPerResource(batch)).containsExactly(delete5);
  }

  @Test
  void keepsResourcesInFirstSeenOrder() {
    ChangeEvent b2 = patientVersion("b", 2);
    ChangeEvent a1 = patientVersion("a", 1);
    ChangeEvent c1 = patientVersion("c", 1);

    assertThat(Batches.newestPerResource(List.of(patientVersion("b", 1), a1, b2, c1)))
        .containsExactly(b2, a1, c1);
  }

  @Test
  void sameIdOfDifferentTypesAreDifferentResources() {
    ChangeEvent patient = patientVersion("1", 1);
    ChangeEvent observation = FhirFixtures.resource("Observation", "1", "9", FhirFixtures.T0);

    assertThat(Batches.newestPerResource(List.of(patient, observation)))
        .containsExactly(patient, observation);
  }

  @Test
  void sameVersionTwiceKeepsTheFirst() {
    ChangeEvent first = patientVersion("p1", 1);
    ChangeEvent again = patientVersion("p1", 1).withOrigin(new EventOrigin("t", 0, 9));

    assertThat(Batches.newestPerResource(List.of(first, again))).singleElement().isSameAs(first);
  }

  @Test
  void emptyBatchGivesEmptyList() {
    assertThat(Batches.newestPerResource(List.of())).isEmpty();
  }

  @Test
  void resultCanBeChangedWithoutTouchingTheInput() {
    List<ChangeEvent> input = List.of(patientVersion("a", 1));
    List<ChangeEvent> result = Batches.newestPerResource(input);
    result.clear();

    assertThat(input).hasSize(1);
  }
}

package io.fhirstream.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceStore;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check compares every type, each against its own table, and names the type of a problem. */
class ConsistencyCheckAllTypesTest {
  private final ResourceStore server =
      DemoFhirServer.builder().resourceTypes("Patient", "Observation").build().store();
  private final Map<String, Map<String, StoredDocument>> store = new HashMap<>();

  private static StoredDocument stored(ResourceVersion version) {
    return new StoredDocument(
        version.resourceType(),
        version.id(),
        Long.toString(version.versionId()),
        null,
        version.deleted(),
        version.json().orElse(null));
  }

  private void copyToStore(String type) {
    Map<String, StoredDocument> table = new HashMap<>();
    server.snapshot(type).forEach((id, version) -> table.put(id, stored(version)));
    store.put(type, table);
  }

  @Test
  void everyTypeEqualIsConsistentAndCountsAllTypes() {
    String patient = server.create(new SyntheticPatients(1).next()).id();
    server.create(new SyntheticRecords(1).observation(patient, null));
    server.create(new SyntheticRecords(2).observation(patient, null));
    copyToStore("Patient");
    copyToStore("Observation");

    ConsistencyCheck.Result result =
        ConsistencyCheck.compareAll(
            List.of("Patient", "Observation"), server::snapshot, t -> store.get(t));

    assertThat(result.consistent()).isTrue();
    assertThat(result.checked()).isEqualTo(3);
  }

  @Test
  void aDifferenceInOneTypeIsReportedWithItsType() {
    String patient = server.create(new SyntheticPatients(1).next()).id();
    String observation = server.create(new SyntheticRecords(1).observation(patient, null)).id();
    copyToStore("Patient");
    copyToStore("Observation");
    server.delete("Observation", observation);

    ConsistencyCheck.Result result =
        ConsistencyCheck.compareAll(
            List.of("Patient", "Observation"), server::snapshot, t -> store.get(t));

    assertThat(result.consistent()).isFalse();
    assertThat(result.differences()).isEqualTo(1);
    assertThat(result.problems())
        .singleElement()
        .asString()
        .startsWith("Observation/" + observation + ": ");
  }
}

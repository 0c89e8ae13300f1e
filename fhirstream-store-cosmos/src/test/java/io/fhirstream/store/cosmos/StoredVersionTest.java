package io.fhirstream.store.cosmos;

import static io.fhirstream.api.FhirFixtures.T0;
import static io.fhirstream.api.FhirFixtures.patientDeletion;
import static io.fhirstream.api.FhirFixtures.patientVersion;
import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.store.cosmos.StoredVersion.Action;
import org.junit.jupiter.api.Test;

/** The guard's decision, without a server. */
class StoredVersionTest {
  private static StoredVersion stored(String versionId, boolean deleted) {
    return new StoredVersion(
        versionId, T0.plusSeconds(60L * Long.parseLong(versionId)), deleted, "e");
  }

  @Test
  void absentIsCreatedNewerReplacesSameOrOlderIsSkipped() {
    assertThat(StoredVersion.decide(patientVersion("p", 1), null)).isEqualTo(Action.CREATE);
    assertThat(StoredVersion.decide(patientVersion("p", 10), stored("9", false)))
        .isEqualTo(Action.REPLACE);
    assertThat(StoredVersion.decide(patientVersion("p", 9), stored("9", false)))
        .isEqualTo(Action.SKIP);
    assertThat(StoredVersion.decide(patientVersion("p", 9), stored("10", false)))
        .isEqualTo(Action.SKIP);
  }

  @Test
  void tombstonesAreVersionsLikeAnyOther() {
    assertThat(StoredVersion.decide(patientVersion("p", 1), stored("2", true)))
        .isEqualTo(Action.SKIP);
    assertThat(StoredVersion.decide(patientVersion("p", 3), stored("2", true)))
        .isEqualTo(Action.REPLACE);
    assertThat(StoredVersion.decide(patientDeletion("p", 2), null)).isEqualTo(Action.CREATE);
  }

  @Test
  void anItemWithNoKnownVersionIsKept() {
    assertThat(
            StoredVersion.decide(patientVersion("p", 5), new StoredVersion(null, null, false, "e")))
        .isEqualTo(Action.SKIP);
  }
}

package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.demo.fhir.ResourceVersion.Operation;
import org.junit.jupiter.api.Test;

class VersionLogTest {
  private static ResourceVersion at(long millis, int index) {
    return new ResourceVersion(
        "Patient", "p" + index, 1, millis, Operation.CREATE, "{}", null, index);
  }

  @Test
  void growsPastItsInitialCapacityKeepingEveryEntry() {
    VersionLog log = new VersionLog();
    for (int i = 0; i < 5000; i++) {
      log.append(at(1000 + i * 2L, i));
    }
    assertThat(log.size()).isEqualTo(5000);
    for (int i = 0; i < 5000; i++) {
      assertThat(log.get(i).lastUpdatedMillis()).isEqualTo(1000 + i * 2L);
    }
  }

  @Test
  void firstAtOrAfterIsInclusiveAndBoundedByTheSnapshotSize() {
    VersionLog log = new VersionLog();
    for (int i = 0; i < 100; i++) {
      log.append(at(1000 + i * 10L, i)); // 1000, 1010, ..., 1990
    }
    assertThat(log.firstAtOrAfter(1000, 100)).isEqualTo(0);
    assertThat(log.firstAtOrAfter(Long.MIN_VALUE, 100)).isEqualTo(0);
    assertThat(log.firstAtOrAfter(1500, 100)).isEqualTo(50); // exact hit is included
    assertThat(log.firstAtOrAfter(1501, 100)).isEqualTo(51);
    assertThat(log.firstAtOrAfter(1990, 100)).isEqualTo(99);
    assertThat(log.firstAtOrAfter(1991, 100)).isEqualTo(100);
    assertThat(log.firstAtOrAfter(1500, 40))
        .isEqualTo(40); // only looks below the snapshot's upper bound
  }

  @Test
  void refusesAnEntryOlderThanTheLast() {
    VersionLog log = new VersionLog();
    log.append(at(2000, 0));
    assertThatThrownBy(() -> log.append(at(1999, 1))).isInstanceOf(IllegalStateException.class);
  }
}

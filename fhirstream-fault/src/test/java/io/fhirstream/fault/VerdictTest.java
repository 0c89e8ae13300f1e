package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.ConsistencyCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static final String BODY = "{\"resourceType\":\"Patient\",\"id\":\"1\"}";

  private static StoredDocument stored(String version, boolean deleted, String body) {
    return new StoredDocument("Patient", "1", version, null, deleted, body);
  }

  @Test
  void equalStatesPass() {
    Verdict verdict =
        Verdict.compare(
            Map.of("1", new ConsistencyCheck.Expected(2, false, BODY)),
            Map.of("1", stored("2", false, "{ \"id\":\"1\", \"resourceType\":\"Patient\" }")),
            0);
    assertThat(verdict.passed()).isTrue();
  }

  @Test
  void staleVersionIsLostAndMissingLiveDocumentIsLost() {
    Verdict verdict =
        Verdict.compare(
            Map.of(
                "1",
                new ConsistencyCheck.Expected(3, false, BODY),
                "2",
                new ConsistencyCheck.Expected(1, false, BODY)),
            Map.of("1", stored("2", false, BODY)),
            0);
    assertThat(verdict.lost()).isEqualTo(2);
  }

  @Test
  void deletionNotAppliedIsExtraAndUnknownIdIsExtra() {
    Verdict verdict =
        Verdict.compare(
            Map.of("1", new ConsistencyCheck.Expected(2, true, null)),
            Map.of("1", stored("2", false, BODY), "9", stored("1", false, BODY)),
            0);
    assertThat(verdict.extra()).isEqualTo(2);
  }

  @Test
  void deletedBeforeFirstLoadMayBeAbsent() {
    Verdict verdict =
        Verdict.compare(Map.of("1", new ConsistencyCheck.Expected(2, true, null)), Map.of(), 0);
    assertThat(verdict.passed()).isTrue();
  }

  @Test
  void regressionsSeenByTheWatchFailTheVerdict() {
    Verdict verdict = Verdict.compare(Map.of(), Map.of(), 1);
    assertThat(verdict.regressed()).isEqualTo(1);
    assertThat(verdict.passed()).isFalse();
  }

  @Test
  void sameVersionWithAnotherBodyDiffers() {
    Verdict verdict =
        Verdict.compare(
            Map.of("1", new ConsistencyCheck.Expected(2, false, BODY)),
            Map.of("1", stored("2", false, "{\"resourceType\":\"Patient\",\"id\":\"2\"}")),
            0);
    assertThat(verdict.differs()).isEqualTo(1);
  }
}

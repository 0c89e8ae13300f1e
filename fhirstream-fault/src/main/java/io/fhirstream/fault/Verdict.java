package io.fhirstream.fault;

import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.ConsistencyCheck.Expected;
import java.util.List;
import java.util.Map;

/**
 * Store against server, by the store-equals-server check every proof uses ({@link
 * ConsistencyCheck}): lost (a change never applied), regressed (a version went backwards: the store
 * ahead of the server, or a backwards step the watcher saw while faults happened), extra (a
 * document the server never had, or a deletion not applied), and differs (same version, another
 * body).
 *
 * @param examples a few ids per problem, for the report (ids are not patient data)
 */
record Verdict(
    int checked, int lost, int regressed, int extra, int differs, List<String> examples) {

  /** A scenario that could not run here: neither passed nor failed, reported as skipped. */
  static Verdict skipped() {
    return new Verdict(0, 0, 0, 0, 0, List.of());
  }

  boolean passed() {
    return lost == 0 && regressed == 0 && extra == 0 && differs == 0;
  }

  static Verdict compare(
      Map<String, Expected> server, Map<String, StoredDocument> store, int regressionsSeen) {
    ConsistencyCheck.Result result = ConsistencyCheck.compareExpected(server, store);
    return new Verdict(
        result.checked(),
        result.lost(),
        result.ahead() + regressionsSeen,
        result.extra(),
        result.differs(),
        result.problems().stream().limit(5).toList());
  }
}

package io.fhirstream.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.store.StoredDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Store against server: lost (a change never applied), regressed (a version went backwards, or the
 * store is ahead of the server), extra (a document the server never had, or a deletion not
 * applied), and differs (same version, another body).
 *
 * @param examples a few ids per problem, for the report (ids are not patient data)
 */
record Verdict(
    int checked, int lost, int regressed, int extra, int differs, List<String> examples) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A scenario that could not run here: neither passed nor failed, reported as skipped. */
  static Verdict skipped() {
    return new Verdict(0, 0, 0, 0, 0, List.of());
  }

  boolean passed() {
    return lost == 0 && regressed == 0 && extra == 0 && differs == 0;
  }

  static Verdict compare(
      Map<String, ServerState.Current> server,
      Map<String, StoredDocument> store,
      int regressionsSeen) {
    int lost = 0;
    int regressed = regressionsSeen;
    int extra = 0;
    int differs = 0;
    List<String> examples = new ArrayList<>();
    for (var entry : server.entrySet()) {
      ServerState.Current want = entry.getValue();
      StoredDocument have = store.get(entry.getKey());
      long haveVersion = have == null ? -1 : Long.parseLong(have.versionId());
      String problem = null;
      if (have == null) {
        if (!want.deleted()) {
          lost++;
          problem = "missing";
        }
      } else if (haveVersion < want.version()) {
        lost++;
        problem = "store at v" + haveVersion + ", server at v" + want.version();
      } else if (haveVersion > want.version()) {
        regressed++;
        problem = "store ahead of server";
      } else if (have.deleted() != want.deleted()) {
        extra++;
        problem = "deleted flag differs";
      } else if (!want.deleted() && !sameJson(want.json(), have.resource())) {
        differs++;
        problem = "body differs";
      }
      if (problem != null && examples.size() < 5) {
        examples.add(entry.getKey() + ": " + problem);
      }
    }
    for (String id : store.keySet()) {
      if (!server.containsKey(id)) {
        extra++;
        if (examples.size() < 5) {
          examples.add(id + ": not on the server");
        }
      }
    }
    return new Verdict(server.size(), lost, regressed, extra, differs, examples);
  }

  private static boolean sameJson(String a, String b) {
    try {
      return JSON.readTree(a).equals(JSON.readTree(b));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}

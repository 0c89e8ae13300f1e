package io.fhirstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.demo.fhir.ResourceVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The store-equals-server check, the one every proof uses (the demo's last line, the runtime's and
 * the CLI's ITs, the benchmarks, the fault harness's verdicts): every id, its version, its deleted
 * flag, and its body (as JSON, since a server may encode one version with different whitespace),
 * with the store read back through its own {@link io.fhirstream.api.store.DocumentReader}. A
 * resource deleted on the server may be a tombstone of the same version in the store, or absent
 * (deleted before the first load, which snapshots current resources). {@link #compareAll} checks
 * every type, each against its own table.
 */
public final class ConsistencyCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPORTED = 10;

  private ConsistencyCheck() {}

  /**
   * What a FHIR server holds of one resource: its newest version, whether that is a deletion, and
   * its body (null for a deletion). Made from the demo server's snapshot, or by reading any server
   * over HTTP ({@link FhirServerState}).
   */
  public record Expected(long version, boolean deleted, String json) {
    static Expected of(ResourceVersion version) {
      return new Expected(version.versionId(), version.deleted(), version.json().orElse(null));
    }
  }

  /**
   * The outcome, by kind of difference.
   *
   * @param checked resources on the server (deleted ones included)
   * @param lost changes the store never applied (missing, or an older version)
   * @param ahead resources the store holds at a newer version than the server: a version went
   *     backwards on the server's side of the comparison, which the guard must make impossible
   * @param extra documents the server never had, or a deletion not applied (or applied wrongly)
   * @param differs the same version with another body
   * @param problems one line per difference (at most ten), naming the id only (ids are not patient
   *     data)
   */
  public record Result(
      int checked, int lost, int ahead, int extra, int differs, List<String> problems) {
    public int differences() {
      return lost + ahead + extra + differs;
    }

    public boolean consistent() {
      return differences() == 0;
    }

    Result plus(Result other, String prefix) {
      List<String> all = new ArrayList<>(problems);
      for (String problem : other.problems) {
        if (all.size() < MAX_REPORTED) {
          all.add(prefix + problem);
        }
      }
      return new Result(
          checked + other.checked,
          lost + other.lost,
          ahead + other.ahead,
          extra + other.extra,
          differs + other.differs,
          all);
    }
  }

  /** The demo server's snapshot of a type against what the store holds of it. */
  public static Result compare(
      Map<String, ResourceVersion> server, Map<String, StoredDocument> store) {
    Map<String, Expected> expected = new LinkedHashMap<>();
    server.forEach((id, version) -> expected.put(id, Expected.of(version)));
    return compareExpected(expected, store);
  }

  /** Any server's state of a type (e.g. read by {@link FhirServerState}) against the store's. */
  public static Result compareExpected(
      Map<String, Expected> server, Map<String, StoredDocument> store) {
    int[] counts = new int[4]; // lost, ahead, extra, differs
    List<String> problems = new ArrayList<>();
    for (var entry : server.entrySet()) {
      Difference difference = difference(entry.getValue(), store.get(entry.getKey()));
      if (difference != null) {
        counts[difference.kind]++;
        if (problems.size() < MAX_REPORTED) {
          problems.add(entry.getKey() + ": " + difference.text);
        }
      }
    }
    for (String id : store.keySet()) {
      if (!server.containsKey(id)) {
        counts[EXTRA]++;
        if (problems.size() < MAX_REPORTED) {
          problems.add(id + ": in the store but never on the server");
        }
      }
    }
    return new Result(server.size(), counts[0], counts[1], counts[2], counts[3], problems);
  }

  /**
   * Compares every type: the server's snapshot of each with what the store holds for it. Problems
   * name the type and id ({@code Observation/12: …}); the counts add up over the types.
   *
   * @param server the server's snapshot of a type, e.g. {@code store()::snapshot}
   * @param store what the store holds of a type, e.g. {@code reader::readAll}
   */
  public static Result compareAll(
      Collection<String> types,
      Function<String, Map<String, ResourceVersion>> server,
      Function<String, Map<String, StoredDocument>> store) {
    Result all = new Result(0, 0, 0, 0, 0, List.of());
    for (String type : types) {
      all = all.plus(compare(server.apply(type), store.apply(type)), type + "/");
    }
    return all;
  }

  /**
   * Like {@link #compareAll}, with the server's state read from anywhere ({@link FhirServerState}).
   */
  public static Result compareAllExpected(
      Collection<String> types,
      Function<String, Map<String, Expected>> server,
      Function<String, Map<String, StoredDocument>> store) {
    Result all = new Result(0, 0, 0, 0, 0, List.of());
    for (String type : types) {
      all = all.plus(compareExpected(server.apply(type), store.apply(type)), type + "/");
    }
    return all;
  }

  private static final int LOST = 0;
  private static final int AHEAD = 1;
  private static final int EXTRA = 2;
  private static final int DIFFERS = 3;

  private record Difference(int kind, String text) {}

  private static Difference difference(Expected expected, StoredDocument actual) {
    if (actual == null) {
      // A resource deleted before capture first started was never loaded: equally absent.
      return expected.deleted() ? null : new Difference(LOST, "missing from the store");
    }
    Long stored = io.fhirstream.api.VersionOrder.numeric(actual.versionId());
    if (stored == null || stored != expected.version()) {
      return new Difference(
          stored != null && stored > expected.version() ? AHEAD : LOST,
          "store has version " + actual.versionId() + ", server has " + expected.version());
    }
    if (expected.deleted() != actual.deleted()) {
      return new Difference(
          EXTRA,
          expected.deleted()
              ? "deleted on the server, not in the store"
              : "deleted in the store, not on the server");
    }
    if (!expected.deleted() && !sameJson(expected.json(), actual.resource())) {
      return new Difference(DIFFERS, "body differs from the server's");
    }
    return null;
  }

  private static boolean sameJson(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    try {
      JsonNode left = JSON.readTree(a);
      JsonNode right = JSON.readTree(b);
      return left.equals(right);
    } catch (IOException e) {
      return false;
    }
  }
}

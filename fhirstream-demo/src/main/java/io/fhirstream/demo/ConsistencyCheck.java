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
 * Compares the store with the FHIR server's current state: every id, its version, its deleted flag,
 * and its body (as JSON, since a server may encode one version with different whitespace). A
 * resource deleted on the server may be a tombstone of the same version in the store, or absent
 * (deleted before the first load, which snapshots current resources). {@link #compareAll} checks
 * every type, each against its own table.
 */
public final class ConsistencyCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPORTED = 10;

  private ConsistencyCheck() {}

  /**
   * The outcome.
   *
   * @param checked resources on the server (deleted ones included)
   * @param problems one line per difference, naming the id only (ids are not patient data)
   */
  public record Result(int checked, int differences, List<String> problems) {
    public boolean consistent() {
      return differences == 0;
    }
  }

  /**
   * A resource as the server holds it now.
   *
   * @param versionId its current version
   * @param deleted whether that version is a deletion
   * @param json its body, null for a deletion
   */
  public record Expected(long versionId, boolean deleted, String json) {
    static Expected of(ResourceVersion version) {
      return new Expected(version.versionId(), version.deleted(), version.json().orElse(null));
    }
  }

  public static Result compare(
      Map<String, ResourceVersion> server, Map<String, StoredDocument> store) {
    return compareExpected(expected(server), store);
  }

  /**
   * Like {@link #compare}, with the server's state read from anywhere, e.g. {@link
   * FhirServerState}.
   */
  public static Result compareExpected(
      Map<String, Expected> server, Map<String, StoredDocument> store) {
    List<String> problems = new ArrayList<>();
    int differences = 0;
    for (var entry : server.entrySet()) {
      String problem = difference(entry.getValue(), store.get(entry.getKey()));
      if (problem != null) {
        differences++;
        if (problems.size() < MAX_REPORTED) {
          problems.add(entry.getKey() + ": " + problem);
        }
      }
    }
    for (String id : store.keySet()) {
      if (!server.containsKey(id)) {
        differences++;
        if (problems.size() < MAX_REPORTED) {
          problems.add(id + ": in the store but never on the server");
        }
      }
    }
    return new Result(server.size(), differences, problems);
  }

  /**
   * Compares every type: the server's snapshot of each with what the store holds for it. Problems
   * name the type and id ({@code Observation/12: …}); {@code checked} counts all types.
   *
   * @param server the server's snapshot of a type, e.g. {@code store()::snapshot}
   * @param store what the store holds of a type, e.g. {@code reader::readAll}
   */
  public static Result compareAll(
      Collection<String> types,
      Function<String, Map<String, ResourceVersion>> server,
      Function<String, Map<String, StoredDocument>> store) {
    return compareAllExpected(types, type -> expected(server.apply(type)), store);
  }

  /** Like {@link #compareAll}, with the server's state read from anywhere. */
  public static Result compareAllExpected(
      Collection<String> types,
      Function<String, Map<String, Expected>> server,
      Function<String, Map<String, StoredDocument>> store) {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    int differences = 0;
    for (String type : types) {
      Result result = compareExpected(server.apply(type), store.apply(type));
      checked += result.checked();
      differences += result.differences();
      for (String problem : result.problems()) {
        if (problems.size() < MAX_REPORTED) {
          problems.add(type + "/" + problem);
        }
      }
    }
    return new Result(checked, differences, problems);
  }

  private static Map<String, Expected> expected(Map<String, ResourceVersion> versions) {
    Map<String, Expected> out = new LinkedHashMap<>();
    versions.forEach((id, version) -> out.put(id, Expected.of(version)));
    return out;
  }

  private static String difference(Expected expected, StoredDocument actual) {
    if (actual == null) {
      // A resource deleted before capture first started was never loaded: equally absent.
      return expected.deleted() ? null : "missing from the store";
    }
    String version = Long.toString(expected.versionId());
    if (!version.equals(actual.versionId())) {
      return "store has version " + actual.versionId() + ", server has " + version;
    }
    if (expected.deleted() != actual.deleted()) {
      return expected.deleted()
          ? "deleted on the server, not in the store"
          : "deleted in the store, not on the server";
    }
    if (!expected.deleted() && !sameJson(expected.json(), actual.resource())) {
      return "body differs from the server's";
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

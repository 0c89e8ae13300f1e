package io.fhirstream.source.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.fhir.FhirJson;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The durable progress of an export, kept in the cursor store so a restarted source resumes it.
 * Files are read several at once, so progress is per file: which are completely published, and how
 * many lines of the others.
 *
 * @param types the types the export loads (a state for other types is abandoned)
 * @param statusUrl the job's status URL ({@code Content-Location} of the kick-off), or null before
 *     a job was accepted
 * @param handOver the {@code transactionTime} of the FIRST job that got as far as a manifest, or
 *     null: incremental capture starts there even if a later job replaced an expired one, because
 *     resources the first job published may have been deleted before the later job's time
 * @param transactionTime the current job's {@code transactionTime}, once its manifest is read
 * @param done the indexes (in the manifest's output) of the files completely published
 * @param lines how many lines of a file not yet done are published, by index
 */
record ExportState(
    List<String> types,
    URI statusUrl,
    Instant handOver,
    Instant transactionTime,
    Set<Integer> done,
    Map<Integer, Long> lines) {

  private static final ObjectMapper JSON = new ObjectMapper(FhirJson.factory());

  ExportState {
    done = Set.copyOf(done);
    lines = Map.copyOf(lines);
  }

  static ExportState start(List<String> types) {
    return new ExportState(List.copyOf(types), null, null, null, Set.of(), Map.of());
  }

  ExportState accepted(URI status) {
    return new ExportState(types, status, handOver, null, Set.of(), Map.of());
  }

  /** The manifest arrived: the first job's time stays the hand-over time. */
  ExportState complete(Instant time) {
    return new ExportState(types, statusUrl, handOver == null ? time : handOver, time, done, lines);
  }

  /** The first {@code line} lines of file {@code file} are published. */
  ExportState at(int file, long line) {
    Map<Integer, Long> updated = new TreeMap<>(lines);
    updated.put(file, line);
    return new ExportState(types, statusUrl, handOver, transactionTime, done, updated);
  }

  /** File {@code file} is completely published. */
  ExportState fileDone(int file) {
    Set<Integer> updated = new TreeSet<>(done);
    updated.add(file);
    Map<Integer, Long> rest = new TreeMap<>(lines);
    rest.remove(file);
    return new ExportState(types, statusUrl, handOver, transactionTime, updated, rest);
  }

  /** How many lines of a file are published (0 for one not begun). */
  long line(int file) {
    return lines.getOrDefault(file, 0L);
  }

  /** The job is gone (expired, cancelled, failed): a new one starts, keeping the hand-over time. */
  ExportState expired() {
    return new ExportState(types, null, handOver, null, Set.of(), Map.of());
  }

  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    types.forEach(node.putArray("types")::add);
    putIfSet(node, "statusUrl", statusUrl);
    putIfSet(node, "handOver", handOver);
    putIfSet(node, "transactionTime", transactionTime);
    new TreeSet<>(done).forEach(node.putArray("done")::add);
    ObjectNode partial = node.putObject("lines");
    new TreeMap<>(lines).forEach((file, line) -> partial.put(Integer.toString(file), line));
    return node.toString();
  }

  /**
   * The stored state, or null when it is unreadable (then a new export starts). A state stored by
   * an earlier release, which read files one by one ({@code file}: how many are done, {@code line}:
   * lines of the next), reads as the same progress.
   */
  static ExportState parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      List<String> types = new ArrayList<>();
      node.path("types").forEach(t -> types.add(t.asText()));
      Set<Integer> done = new TreeSet<>();
      Map<Integer, Long> lines = new TreeMap<>();
      node.path("done").forEach(file -> done.add(file.asInt()));
      node.path("lines")
          .fields()
          .forEachRemaining(e -> lines.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
      if (node.has("file")) {
        for (int i = 0; i < node.path("file").asInt(0); i++) {
          done.add(i);
        }
        if (node.path("line").asLong(0) > 0) {
          lines.put(node.path("file").asInt(), node.path("line").asLong());
        }
      }
      return new ExportState(
          List.copyOf(types),
          node.hasNonNull("statusUrl") ? URI.create(node.get("statusUrl").asText()) : null,
          instant(node, "handOver"),
          instant(node, "transactionTime"),
          done,
          lines);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Instant instant(JsonNode node, String field) {
    return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
  }

  private static void putIfSet(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }
}

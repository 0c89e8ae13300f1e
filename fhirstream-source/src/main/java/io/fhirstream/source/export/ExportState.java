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

/**
 * The durable progress of an export, kept in the cursor store so a restarted source resumes it.
 *
 * @param types the types the export loads (a state for other types is abandoned)
 * @param statusUrl the job's status URL ({@code Content-Location} of the kick-off), or null before
 *     a job was accepted
 * @param handOver the {@code transactionTime} of the FIRST job that got as far as a manifest, or
 *     null: incremental capture starts there even if a later job replaced an expired one, because
 *     resources the first job published may have been deleted before the later job's time
 * @param transactionTime the current job's {@code transactionTime}, once its manifest is read
 * @param file how many of the manifest's output files are completely published
 * @param line how many lines of the next file are published
 */
record ExportState(
    List<String> types,
    URI statusUrl,
    Instant handOver,
    Instant transactionTime,
    int file,
    long line) {

  private static final ObjectMapper JSON = new ObjectMapper(FhirJson.factory());

  static ExportState start(List<String> types) {
    return new ExportState(List.copyOf(types), null, null, null, 0, 0);
  }

  ExportState accepted(URI status) {
    return new ExportState(types, status, handOver, null, 0, 0);
  }

  /** The manifest arrived: the first job's time stays the hand-over time. */
  ExportState complete(Instant time) {
    return new ExportState(types, statusUrl, handOver == null ? time : handOver, time, file, line);
  }

  ExportState at(int newFile, long newLine) {
    return new ExportState(types, statusUrl, handOver, transactionTime, newFile, newLine);
  }

  /** The job is gone (expired, cancelled): a new one starts, keeping the hand-over time. */
  ExportState expired() {
    return new ExportState(types, null, handOver, null, 0, 0);
  }

  String toJson() {
    ObjectNode node = JSON.createObjectNode();
    types.forEach(node.putArray("types")::add);
    putIfSet(node, "statusUrl", statusUrl);
    putIfSet(node, "handOver", handOver);
    putIfSet(node, "transactionTime", transactionTime);
    node.put("file", file);
    node.put("line", line);
    return node.toString();
  }

  /** The stored state, or null when it is unreadable (then a new export starts). */
  static ExportState parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      List<String> types = new ArrayList<>();
      node.path("types").forEach(t -> types.add(t.asText()));
      return new ExportState(
          List.copyOf(types),
          node.hasNonNull("statusUrl") ? URI.create(node.get("statusUrl").asText()) : null,
          instant(node, "handOver"),
          instant(node, "transactionTime"),
          node.path("file").asInt(0),
          node.path("line").asLong(0));
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

package io.fhirstream.source.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.fhir.FhirJson;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a completed export's status (Bulk Data Access IG v2, "Response - Complete Status").
 *
 * @param transactionTime the server's time the export's content is consistent with: it includes
 *     every matching resource last updated at or before it, and none after
 * @param requiresAccessToken whether the files need the bearer token of the status request
 * @param output the files, in the server's order (the order progress is kept in)
 * @param errors files of OperationOutcomes the server wrote for resources it could not export
 */
record ExportManifest(
    Instant transactionTime, boolean requiresAccessToken, List<File> output, List<File> errors) {

  private static final ObjectMapper JSON = new ObjectMapper(FhirJson.factory());

  /** One NDJSON file: its resource type, where to read it, and the count the server announced. */
  record File(String type, URI url, long count) {}

  /**
   * @throws PipelineException when the body is not a manifest (names what is missing, never quotes
   *     the body)
   */
  static ExportManifest parse(byte[] body, URI statusUrl) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw invalid(statusUrl, "not JSON");
    }
    if (root == null || !root.isObject()) {
      throw invalid(statusUrl, "not a JSON object");
    }
    String time = root.path("transactionTime").asText(null);
    if (time == null) {
      throw invalid(statusUrl, "no transactionTime");
    }
    Instant transactionTime;
    try {
      transactionTime = FhirJson.parseInstant(time);
    } catch (io.fhirstream.api.BadEventException e) {
      throw invalid(statusUrl, "transactionTime is not a FHIR instant");
    }
    return new ExportManifest(
        transactionTime,
        root.path("requiresAccessToken").asBoolean(false),
        files(root.path("output"), statusUrl),
        files(root.path("error"), statusUrl));
  }

  private static List<File> files(JsonNode array, URI statusUrl) {
    List<File> files = new ArrayList<>();
    for (JsonNode file : array) {
      String type = file.path("type").asText(null);
      String url = file.path("url").asText(null);
      if (type == null || url == null) {
        throw invalid(statusUrl, "an output entry without type or url");
      }
      // Relative URLs are resolved against the status URL, as any link in an HTTP answer.
      files.add(new File(type, statusUrl.resolve(url), file.path("count").asLong(-1)));
    }
    return List.copyOf(files);
  }

  private static PipelineException invalid(URI statusUrl, String problem) {
    return new PipelineException(
        "the FHIR server's $export status "
            + statusUrl.getRawPath()
            + " answered 200 with an invalid manifest ("
            + problem
            + "); the server's bulk export is broken: check its logs");
  }
}

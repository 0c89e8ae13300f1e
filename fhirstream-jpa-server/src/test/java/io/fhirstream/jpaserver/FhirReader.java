package io.fhirstream.jpaserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Plain HTTP reads and writes of FHIR JSON against one server, for the tests. */
final class FhirReader {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  FhirReader(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  /** GET of a path relative to the base (or an absolute URL, e.g. a next link). */
  JsonNode get(String pathOrUrl) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(pathOrUrl)).GET(), 200);
  }

  /** Every entry of a search or history, following {@code next} links; pages in {@code pages}. */
  List<JsonNode> entries(String pathOrUrl, List<JsonNode> pages)
      throws IOException, InterruptedException {
    List<JsonNode> entries = new ArrayList<>();
    String next = pathOrUrl;
    while (next != null) {
      JsonNode page = get(next);
      pages.add(page);
      page.path("entry").forEach(entries::add);
      next = nextLink(page);
    }
    return entries;
  }

  List<JsonNode> entries(String pathOrUrl) throws IOException, InterruptedException {
    return entries(pathOrUrl, new ArrayList<>());
  }

  JsonNode post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(json)),
        201);
  }

  JsonNode put(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/fhir+json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)),
        200);
  }

  JsonNode delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).DELETE(), 200);
  }

  /** {@code _summary=count} of a type. */
  long count(String type) throws IOException, InterruptedException {
    return get(type + "?_summary=count").path("total").asLong(-1);
  }

  HttpResponse<byte[]> raw(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  URI uri(String pathOrUrl) {
    return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + "/" + pathOrUrl);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String nextLink(JsonNode bundle) {
    for (JsonNode link : bundle.path("link")) {
      if ("next".equals(link.path("relation").asText())) {
        return link.path("url").asText();
      }
    }
    return null;
  }

  private JsonNode send(HttpRequest.Builder request, int expected)
      throws IOException, InterruptedException {
    HttpRequest built =
        request.header("Accept", "application/fhir+json").timeout(Duration.ofMinutes(1)).build();
    HttpResponse<byte[]> response = raw(built);
    if (response.statusCode() != expected) {
      throw new AssertionError(
          "expected HTTP "
              + expected
              + " but got "
              + response.statusCode()
              + " from "
              + built.method()
              + " "
              + built.uri());
    }
    return JSON.readTree(response.body());
  }
}

package io.fhirstream.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What any FHIR server holds of a type now, read over its REST API for {@link ConsistencyCheck}:
 * every version in the type's {@code _history}, kept newest per id, deletions included (a resource
 * deleted on the server is a deletion here). The demo server's own {@code snapshot} does the same
 * from memory; this one reads a real server, such as a HAPI JPA server in a test.
 *
 * <p>Meant for a server at rest: pages are followed as the server links them.
 */
public final class FhirServerState {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private FhirServerState() {}

  /**
   * @param baseUrl the server's base URL, e.g. {@code http://127.0.0.1:8080/fhir}
   * @return the newest version of every resource of the type ever written, by id
   */
  public static Map<String, ConsistencyCheck.Expected> read(String baseUrl, String type) {
    Map<String, ConsistencyCheck.Expected> newest = new LinkedHashMap<>();
    // With a _since: without one, HAPI's JPA server pages history up to a count it cached for a
    // minute and leaves out the oldest versions written since.
    URI next =
        URI.create(baseUrl + "/" + type + "/_history?_count=500&_since=1970-01-01T00:00:00Z");
    while (next != null) {
      JsonNode page = get(next);
      for (JsonNode entry : page.path("entry")) {
        add(newest, type, entry);
      }
      next = null;
      for (JsonNode link : page.path("link")) {
        if ("next".equals(link.path("relation").asText())) {
          next = URI.create(link.path("url").asText());
        }
      }
    }
    return newest;
  }

  private static void add(
      Map<String, ConsistencyCheck.Expected> newest, String type, JsonNode entry) {
    JsonNode resource = entry.path("resource");
    String[] reference = entry.path("request").path("url").asText("").split("/");
    String id;
    long version;
    if (resource.isObject()) {
      id = resource.path("id").asText();
      version = resource.path("meta").path("versionId").asLong();
    } else if (reference.length >= 4 && reference[0].equals(type)) {
      id = reference[1]; // Type/id/_history/version
      version = Long.parseLong(reference[3]);
    } else {
      return;
    }
    boolean deleted = "DELETE".equals(entry.path("request").path("method").asText());
    ConsistencyCheck.Expected seen = newest.get(id);
    if (seen == null || seen.version() < version) {
      newest.put(
          id,
          new ConsistencyCheck.Expected(version, deleted, deleted ? null : resource.toString()));
    }
  }

  private static JsonNode get(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofMinutes(2))
            .header("Accept", "application/fhir+json")
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "GET " + uri.getRawPath() + " answered HTTP " + response.statusCode());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri.getRawPath() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the server's state", e);
    }
  }
}

package io.fhirstream.source.capture;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.ResourceMeta;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a history or searchset Bundle with Jackson's streaming parser. Each entry's resource is
 * sliced out of the page byte for byte, so events carry the JSON exactly as the server sent it.
 *
 * <p>A history entry whose {@code request.method} is DELETE becomes a deletion. Servers render
 * those differently (HAPI JPA sends no resource and puts the version in {@code request.url}; others
 * keep a resource stub), so id, version and time are taken from whichever of resource meta, {@code
 * request.url}, {@code fullUrl}, {@code response.etag} and {@code response.lastModified} is
 * present.
 */
public final class BundleReader {
  private BundleReader() {}

  /**
   * @throws RetriableException when the page is not a valid Bundle: a truncated or garbled page is
   *     read again rather than half-used
   */
  public static BundlePage read(byte[] page, String resourceType) {
    List<ChangeEvent> events = new ArrayList<>();
    URI next = null;
    int skipped = 0;
    try (JsonParser parser = FhirJson.factory().createParser(page)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      String bundleType = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "resourceType" -> bundleType = parser.getText();
          case "link" -> next = readNextLink(parser, value);
          case "entry" -> {
            expect(value, JsonToken.START_ARRAY);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
              ChangeEvent event = readEntry(parser, page, resourceType);
              if (event == null) {
                skipped++;
              } else {
                events.add(event);
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (!"Bundle".equals(bundleType)) {
        throw new RetriableException("the server's page is not a Bundle");
      }
      if (parser.nextToken() != null) {
        throw new RetriableException("the server's page has trailing content");
      }
    } catch (IOException | BadEventException e) {
      throw new RetriableException("the server's page is not a valid Bundle (truncated?)", e);
    }
    return new BundlePage(events, next, skipped);
  }

  private static URI readNextLink(JsonParser parser, JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    URI next = null;
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      String relation = null;
      String url = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        switch (name) {
          case "relation" -> relation = parser.getText();
          case "url" -> url = parser.getText();
          default -> parser.skipChildren();
        }
      }
      if ("next".equals(relation) && url != null) {
        next = URI.create(url);
      }
    }
    return next;
  }

  private static ChangeEvent readEntry(JsonParser parser, byte[] page, String resourceType)
      throws IOException, BadEventException {
    ResourceMeta meta = null;
    int start = -1;
    int end = -1;
    String fullUrl = null;
    String method = null;
    String requestUrl = null;
    String etag = null;
    String lastModified = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "fullUrl" -> fullUrl = parser.getText();
        case "resource" -> {
          expect(value, JsonToken.START_OBJECT);
          start = (int) parser.currentTokenLocation().getByteOffset();
          meta = FhirJson.readObjectMeta(parser);
          end = (int) parser.currentLocation().getByteOffset();
        }
        case "request" -> {
          String[] fields = readStrings(parser, value, "method", "url");
          method = fields[0];
          requestUrl = fields[1];
        }
        case "response" -> {
          String[] fields = readStrings(parser, value, "etag", "lastModified");
          etag = fields[0];
          lastModified = fields[1];
        }
        default -> parser.skipChildren();
      }
    }
    if ("DELETE".equals(method)) {
      return deletion(meta, requestUrl, fullUrl, etag, lastModified, resourceType);
    }
    if (meta == null || !resourceType.equals(meta.resourceType()) || meta.id() == null) {
      return null;
    }
    Instant lastUpdated =
        meta.lastUpdated() != null ? meta.lastUpdated() : FhirJson.parseInstant(lastModified);
    String version = meta.versionId() != null ? meta.versionId() : etagVersion(etag);
    return ChangeEvent.upsert(
        resourceType, meta.id(), version, lastUpdated, Arrays.copyOfRange(page, start, end));
  }

  private static ChangeEvent deletion(
      ResourceMeta meta,
      String requestUrl,
      String fullUrl,
      String etag,
      String lastModified,
      String resourceType)
      throws BadEventException {
    String[] fromUrl = reference(requestUrl, resourceType);
    if (fromUrl == null) {
      fromUrl = reference(fullUrl, resourceType);
    }
    String id = meta != null && meta.id() != null ? meta.id() : fromUrl == null ? null : fromUrl[0];
    if (id == null || (meta != null && !resourceType.equals(meta.resourceType()))) {
      return null;
    }
    String version =
        meta != null && meta.versionId() != null
            ? meta.versionId()
            : fromUrl != null && fromUrl[1] != null ? fromUrl[1] : etagVersion(etag);
    Instant when =
        lastModified != null
            ? FhirJson.parseInstant(lastModified)
            : meta == null ? null : meta.lastUpdated();
    return ChangeEvent.delete(resourceType, id, version, when);
  }

  /** {@code [..../]Type/id[/_history/v][?…]} → {id, version-or-null}, when the type matches. */
  static String[] reference(String url, String resourceType) {
    if (url == null) {
      return null;
    }
    int query = url.indexOf('?');
    String path = query < 0 ? url : url.substring(0, query);
    String[] parts = path.split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (parts[i].equals(resourceType)) {
        String id = parts[i + 1];
        String version =
            i + 3 < parts.length && parts[i + 2].equals("_history") ? parts[i + 3] : null;
        return id.isEmpty() ? null : new String[] {id, version};
      }
    }
    return null;
  }

  /** {@code W/"3"} → {@code 3}. */
  static String etagVersion(String etag) {
    if (etag == null) {
      return null;
    }
    String value = etag.startsWith("W/") ? etag.substring(2) : etag;
    return value.replace("\"", "");
  }

  private static String[] readStrings(JsonParser parser, JsonToken value, String a, String b)
      throws IOException {
    String[] out = new String[2];
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return out;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if (token == JsonToken.VALUE_STRING && name.equals(a)) {
        out[0] = parser.getText();
      } else if (token == JsonToken.VALUE_STRING && name.equals(b)) {
        out[1] = parser.getText();
      } else {
        parser.skipChildren();
      }
    }
    return out;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }
}

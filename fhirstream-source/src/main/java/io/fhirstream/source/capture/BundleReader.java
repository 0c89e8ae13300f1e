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
import java.util.Set;
import java.util.function.Predicate;

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
   * The entries of one resource type.
   *
   * @throws RetriableException when the page is not a valid Bundle: a truncated or garbled page is
   *     read again rather than half-used
   */
  public static BundlePage read(byte[] page, String resourceType) {
    return read(page, resourceType::equals);
  }

  /**
   * The entries of any of several types, e.g. a system-level history page: each event carries its
   * own type.
   */
  public static BundlePage read(byte[] page, Set<String> resourceTypes) {
    return read(page, resourceTypes::contains);
  }

  private static BundlePage read(byte[] page, Predicate<String> wanted) {
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
              ChangeEvent event = readEntry(parser, page, wanted);
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

  /**
   * A Bundle's {@code total}, e.g. of a {@code _summary=count} search; -1 when it has none or is
   * not a Bundle (a count is a nicety, never worth failing over).
   */
  public static long total(byte[] page) {
    try (JsonParser parser = FhirJson.factory().createParser(page)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("total") && value == JsonToken.VALUE_NUMBER_INT) {
          return parser.getLongValue();
        }
        parser.skipChildren();
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
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

  private static ChangeEvent readEntry(JsonParser parser, byte[] page, Predicate<String> wanted)
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
      String type = meta != null ? meta.resourceType() : typeOf(requestUrl, fullUrl);
      return type == null || !wanted.test(type)
          ? null
          : deletion(meta, requestUrl, fullUrl, etag, lastModified, type);
    }
    if (meta == null || !wanted.test(meta.resourceType()) || meta.id() == null) {
      return null;
    }
    String resourceType = meta.resourceType();
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

  /**
   * The resource type a deletion's {@code request.url} (else {@code fullUrl}) names: {@code
   * [..../]Type/id[/_history/v]}; null when neither says.
   */
  static String typeOf(String requestUrl, String fullUrl) {
    for (String url : new String[] {requestUrl, fullUrl}) {
      if (url == null) {
        continue;
      }
      int query = url.indexOf('?');
      String[] parts = (query < 0 ? url : url.substring(0, query)).split("/");
      int history = -1;
      for (int i = parts.length - 2; i >= 2; i--) {
        if (parts[i].equals("_history")) {
          history = i;
          break;
        }
      }
      int typeAt = history >= 2 ? history - 2 : parts.length - 2;
      if (typeAt >= 0 && isTypeName(parts[typeAt]) && !parts[typeAt + 1].isEmpty()) {
        return parts[typeAt];
      }
    }
    return null;
  }

  /** FHIR resource type names are letters, starting with a capital. */
  private static boolean isTypeName(String segment) {
    if (segment.isEmpty() || !Character.isUpperCase(segment.charAt(0))) {
      return false;
    }
    return segment.chars().allMatch(Character::isLetter);
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

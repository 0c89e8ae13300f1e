package io.fhirstream.api.fhir;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.fhirstream.api.BadEventException;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads {@link ResourceMeta} from resource JSON with Jackson's streaming parser.
 *
 * <p>The whole document is tokenised, so malformed JSON is caught here rather than in a store, but
 * nothing is materialised beyond the four fields. Error reasons never quote the input: a parser
 * message can contain a token of patient data, so reasons name only the position.
 */
public final class FhirJson {
  private static final Map<JsonLimits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

  private FhirJson() {}

  /** The shared, thread-safe factory with the default limits. */
  public static JsonFactory factory() {
    return factory(JsonLimits.DEFAULT);
  }

  /** A shared, thread-safe factory enforcing the given limits. */
  public static JsonFactory factory(JsonLimits limits) {
    return FACTORIES.computeIfAbsent(
        limits,
        l ->
            JsonFactory.builder()
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .streamReadConstraints(
                    StreamReadConstraints.builder()
                        .maxNestingDepth(l.maxDepth())
                        .maxStringLength(l.maxStringLength())
                        .build())
                .build());
  }

  /** Reads the meta of a resource held in {@code bytes[offset, offset+length)}. */
  public static ResourceMeta readMeta(byte[] bytes, int offset, int length)
      throws BadEventException {
    return readMeta(bytes, offset, length, JsonLimits.DEFAULT);
  }

  /** Reads the meta of a whole document within the given limits. */
  public static ResourceMeta readMeta(byte[] bytes, JsonLimits limits) throws BadEventException {
    return readMeta(bytes, 0, bytes.length, limits);
  }

  private static ResourceMeta readMeta(byte[] bytes, int offset, int length, JsonLimits limits)
      throws BadEventException {
    if (length > limits.maxDocumentBytes()) {
      throw new BadEventException(
          "document of "
              + length
              + " bytes exceeds the limit of "
              + limits.maxDocumentBytes()
              + " bytes");
    }
    try (JsonParser parser = factory(limits).createParser(bytes, offset, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadEventException("not a JSON object");
      }
      ResourceMeta meta = readObjectMeta(parser);
      if (parser.nextToken() != null) {
        throw new BadEventException("trailing content after the JSON object");
      }
      return meta;
    } catch (StreamConstraintsException e) {
      throw new BadEventException(
          "JSON exceeds fhirstream's limits (" + limitName(e, limits) + ")");
    } catch (IOException e) {
      throw new BadEventException(describe(e));
    }
  }

  /** Reads the meta of a whole byte array. */
  public static ResourceMeta readMeta(byte[] bytes) throws BadEventException {
    return readMeta(bytes, 0, bytes.length);
  }

  /**
   * Reads meta from a parser positioned on the START_OBJECT of a resource, leaving it on the
   * matching END_OBJECT.
   */
  public static ResourceMeta readObjectMeta(JsonParser parser)
      throws IOException, BadEventException {
    String resourceType = null;
    String id = null;
    String versionId = null;
    Instant lastUpdated = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "resourceType" -> resourceType = textOrNull(parser, value, "resourceType");
        case "id" -> id = textOrNull(parser, value, "id");
        case "meta" -> {
          if (value != JsonToken.START_OBJECT) {
            throw new BadEventException("meta is not an object");
          }
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String metaField = parser.currentName();
            JsonToken metaValue = parser.nextToken();
            if ("versionId".equals(metaField)) {
              versionId = textOrNull(parser, metaValue, "meta.versionId");
            } else if ("lastUpdated".equals(metaField)) {
              lastUpdated = parseInstant(textOrNull(parser, metaValue, "meta.lastUpdated"));
            } else {
              parser.skipChildren();
            }
          }
        }
        default -> parser.skipChildren();
      }
    }
    if (resourceType == null) {
      throw new BadEventException("no resourceType");
    }
    return new ResourceMeta(resourceType, id, versionId, lastUpdated);
  }

  /** Parses a FHIR instant such as {@code 2024-05-01T10:00:00.123+02:00}. */
  public static Instant parseInstant(String text) throws BadEventException {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadEventException("meta.lastUpdated is not a FHIR instant");
    }
  }

  private static String textOrNull(JsonParser parser, JsonToken token, String field)
      throws IOException, BadEventException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new BadEventException(field + " is not a string");
    }
    return parser.getText();
  }

  private static String describe(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
        && jpe.getLocation() != null) {
      return "not valid JSON (line "
          + jpe.getLocation().getLineNr()
          + ", column "
          + jpe.getLocation().getColumnNr()
          + ")";
    }
    return "not valid JSON";
  }

  private static String limitName(StreamConstraintsException e, JsonLimits limits) {
    String message = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("depth")) {
      return "nesting depth over " + limits.maxDepth();
    }
    if (message.contains("string")) {
      return "a string longer than " + limits.maxStringLength() + " characters";
    }
    if (message.contains("number")) {
      return "number too long";
    }
    return "document too large";
  }
}

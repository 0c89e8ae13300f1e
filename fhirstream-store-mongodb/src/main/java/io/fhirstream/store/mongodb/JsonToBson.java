package io.fhirstream.store.mongodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fhirstream.api.BadEventException;
import java.io.IOException;
import org.bson.BsonWriter;
import org.bson.types.Decimal128;

/**
 * Streams a resource's JSON into BSON token by token (no tree, no HAPI), so that every JSON value
 * reads back exactly:
 *
 * <ul>
 *   <li>keys are escaped by {@link FieldNames}, so no key can act as an operator or a path;
 *   <li>integers become int32 or int64; every other number becomes a decimal128 built from the
 *       number's text, which keeps its digits and scale ({@code 1.50} stays {@code 1.50}, never the
 *       double {@code 1.5}); a number decimal128 cannot hold exactly (more than 34 significant
 *       digits, or an exponent beyond ±6111) is refused rather than rounded;
 *   <li>a string with an unpaired surrogate escape (not Unicode, so not storable as UTF-8), a key
 *       given twice, or nesting deeper than MongoDB's 100 levels is refused.
 * </ul>
 */
final class JsonToBson {
  /** MongoDB nests at most 100 levels and the resource is itself one level down. */
  static final int MAX_DEPTH = 99;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JsonToBson() {}

  /**
   * Writes the JSON object in {@code body} as the value of the writer's pending field.
   *
   * @throws BadEventException with a reason that never quotes the body
   */
  static void writeResource(byte[] body, BsonWriter writer) throws BadEventException {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadEventException("the resource body is not a JSON object");
      }
      writeValue(parser, writer, 1);
      if (parser.nextToken() != null) {
        throw new BadEventException("the resource body has content after its JSON object");
      }
    } catch (JsonParseException e) {
      String message = String.valueOf(e.getOriginalMessage());
      throw new BadEventException(
          message.startsWith("Duplicate field")
              ? "the resource JSON has the same key twice in one object"
              : "the resource body is not valid JSON (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")");
    } catch (JsonProcessingException e) {
      throw new BadEventException("the resource JSON exceeds a parsing limit (length or size)");
    } catch (IOException e) {
      throw new BadEventException("the resource body is not readable JSON");
    }
  }

  private static void writeValue(JsonParser parser, BsonWriter writer, int depth)
      throws IOException, BadEventException {
    switch (parser.currentToken()) {
      case START_OBJECT -> {
        checkDepth(depth);
        writer.writeStartDocument();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          checkUnicode(key);
          writer.writeName(FieldNames.escape(key));
          parser.nextToken();
          writeValue(parser, writer, depth + 1);
        }
        writer.writeEndDocument();
      }
      case START_ARRAY -> {
        checkDepth(depth);
        writer.writeStartArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          writeValue(parser, writer, depth + 1);
        }
        writer.writeEndArray();
      }
      case VALUE_STRING -> {
        String text = parser.getText();
        checkUnicode(text);
        writer.writeString(text);
      }
      case VALUE_NUMBER_INT -> writeInteger(parser, writer);
      case VALUE_NUMBER_FLOAT -> writeFraction(parser, writer);
      case VALUE_TRUE -> writer.writeBoolean(true);
      case VALUE_FALSE -> writer.writeBoolean(false);
      case VALUE_NULL -> writer.writeNull();
      default -> throw new IllegalStateException("unexpected JSON token " + parser.currentToken());
    }
  }

  /**
   * int32 or int64 when the integer fits (so {@code -0} reads back as {@code 0}, the same JSON
   * value); decimal128 beyond 64 bits, which reads back as integer text (see {@link BsonToJson}).
   */
  private static void writeInteger(JsonParser parser, BsonWriter writer)
      throws IOException, BadEventException {
    switch (parser.getNumberType()) {
      case INT -> writer.writeInt32(parser.getIntValue());
      case LONG -> writer.writeInt64(parser.getLongValue());
      default -> writer.writeDecimal128(decimal(parser.getText()));
    }
  }

  /**
   * A decimal128 from the number's text, digits and scale as written. {@link BsonToJson} writes a
   * decimal128 of exponent 0 back in exponent notation when its coefficient fits 64 bits (only a
   * JSON fraction makes one, since such integers are stored as int32/int64) and as an integer
   * beyond that (a JSON integer made it); so a fraction like {@code 1.2345678901234567890e19},
   * whose exponent is 0 and coefficient beyond 64 bits, would read back as an integer and is
   * refused.
   */
  private static void writeFraction(JsonParser parser, BsonWriter writer)
      throws IOException, BadEventException {
    String text = parser.getText();
    Decimal128 value = decimal(text);
    if ((text.indexOf('e') >= 0 || text.indexOf('E') >= 0)
        && BsonToJson.isFromJsonInteger(value.toString())) {
      throw new BadEventException(
          "the resource has a number in exponent notation equal to an integer beyond 64 bits,"
              + " which MongoDB would give back as an integer");
    }
    writer.writeDecimal128(value);
  }

  private static Decimal128 decimal(String text) throws BadEventException {
    try {
      return Decimal128.parse(text);
    } catch (NumberFormatException e) {
      throw new BadEventException(
          "the resource has a number that MongoDB's decimal128 cannot hold exactly (more than 34"
              + " significant digits, or out of range)");
    }
  }

  private static void checkDepth(int depth) throws BadEventException {
    if (depth > MAX_DEPTH) {
      throw new BadEventException(
          "the resource nests objects and arrays deeper than MongoDB's limit of 100 levels");
    }
  }

  /** Java strings from JSON escapes may hold lone surrogates, which UTF-8 (BSON) cannot encode. */
  private static void checkUnicode(String text) throws BadEventException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          throw new BadEventException(
              "the resource has a string with an unpaired UTF-16 surrogate escape, which is not"
                  + " Unicode text and cannot be stored as UTF-8");
        }
      }
    }
  }
}

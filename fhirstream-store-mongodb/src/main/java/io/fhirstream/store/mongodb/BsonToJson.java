package io.fhirstream.store.mongodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * Turns a stored {@code resource} field back into the FHIR JSON it was written from: keys unescaped
 * ({@link FieldNames}), decimals with their digits and scale as received. Key order and whitespace
 * are not kept; every key, value and array order is.
 */
public final class BsonToJson {
  private static final JsonFactory JSON = new JsonFactory();

  private BsonToJson() {}

  /**
   * The resource JSON as UTF-8 bytes.
   *
   * @throws IllegalArgumentException if the document holds a BSON type fhirstream never writes
   *     (someone else edited it)
   */
  public static byte[] toJson(BsonDocument resource) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      write(resource, generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The JSON number for a stored decimal128. A decimal of exponent 0 whose coefficient fits 64 bits
   * came from a JSON fraction in exponent notation ({@code 1.50e2}: coefficient 150, exponent 0),
   * because such integers are stored as int32/int64: it is written back in exponent notation with
   * the same digits ({@code 1.50E+2}), so it stays a fraction of the same precision. Beyond 64 bits
   * it came from a JSON integer and is written as one.
   */
  static String jsonText(Decimal128 decimal) {
    String text = decimal.toString();
    if (!readsAsInteger(text) || isBeyond64Bits(text)) {
      return text;
    }
    boolean negative = text.startsWith("-");
    String digits = negative ? text.substring(1) : text;
    return (negative ? "-" : "")
        + digits.charAt(0)
        + (digits.length() > 1 ? "." + digits.substring(1) : "")
        + "E+"
        + (digits.length() - 1);
  }

  /** Whether decimal128 text is an integer that only a JSON integer token can have produced. */
  static boolean isFromJsonInteger(String decimalText) {
    return readsAsInteger(decimalText) && isBeyond64Bits(decimalText);
  }

  /** Whether decimal128 text has neither a point nor an exponent: its exponent is 0. */
  private static boolean readsAsInteger(String decimalText) {
    return decimalText.indexOf('.') < 0 && decimalText.indexOf('E') < 0;
  }

  private static boolean isBeyond64Bits(String integerText) {
    try {
      Long.parseLong(integerText);
      return false;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static void write(BsonValue value, JsonGenerator out) throws IOException {
    switch (value.getBsonType()) {
      case DOCUMENT -> {
        out.writeStartObject();
        for (Map.Entry<String, BsonValue> field : value.asDocument().entrySet()) {
          out.writeFieldName(FieldNames.unescape(field.getKey()));
          write(field.getValue(), out);
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (BsonValue element : value.asArray()) {
          write(element, out);
        }
        out.writeEndArray();
      }
      case STRING -> out.writeString(value.asString().getValue());
      case INT32 -> out.writeNumber(value.asInt32().getValue());
      case INT64 -> out.writeNumber(value.asInt64().getValue());
      case DECIMAL128 -> {
        Decimal128 decimal = value.asDecimal128().getValue();
        if (decimal.isNaN() || decimal.isInfinite()) {
          throw new IllegalArgumentException("a decimal128 NaN or infinity has no JSON form");
        }
        out.writeNumber(jsonText(decimal));
      }
      case DOUBLE -> out.writeNumber(value.asDouble().getValue());
      case BOOLEAN -> out.writeBoolean(value.asBoolean().getValue());
      case NULL -> out.writeNull();
      default ->
          throw new IllegalArgumentException(
              "the resource holds BSON type "
                  + value.getBsonType()
                  + ", which fhirstream never"
                  + " writes");
    }
  }
}

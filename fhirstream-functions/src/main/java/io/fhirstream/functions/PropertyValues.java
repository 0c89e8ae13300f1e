package io.fhirstream.functions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The bytes of an event's application properties as the Functions host delivers them in {@code
 * PropertiesArray}. A Kafka-protocol producer (fhirstream's source) writes its headers as bytes,
 * which Event Hubs keeps as AMQP binary; the host passes binding data to the Java worker as JSON,
 * where binary becomes base64 text. An AMQP producer may instead set string properties. Which of
 * the two an event uses is read from its {@code ce_specversion}, which fhirstream always sets to
 * {@code 1.0} (base64 {@code MS4w}), so no value is ever guessed at one by one.
 */
final class PropertyValues {
  private static final String SPEC_VERSION = "ce_specversion";
  private static final String SPEC_VERSION_BASE64 =
      Base64.getEncoder().encodeToString("1.0".getBytes(StandardCharsets.UTF_8));

  private final boolean base64;

  private PropertyValues(boolean base64) {
    this.base64 = base64;
  }

  /** How the text values of one event's properties are to be read. */
  static PropertyValues of(Map<String, Object> properties) {
    Object version = properties == null ? null : properties.get(SPEC_VERSION);
    return new PropertyValues(SPEC_VERSION_BASE64.equals(version));
  }

  /**
   * The bytes of one value: a byte array as is, text as UTF-8 (or decoded from base64 when the
   * event's are), a JSON array of numbers as bytes, anything else (a number, a boolean) as its
   * text.
   *
   * @return null for a null value, or text that should be base64 and is not
   */
  byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    if (value instanceof List<?> list) {
      byte[] bytes = new byte[list.size()];
      for (int i = 0; i < bytes.length; i++) {
        if (!(list.get(i) instanceof Number number)) {
          return null;
        }
        bytes[i] = number.byteValue();
      }
      return bytes;
    }
    String text = value.toString();
    if (!base64) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

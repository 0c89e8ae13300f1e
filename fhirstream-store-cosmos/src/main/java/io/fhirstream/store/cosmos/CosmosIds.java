package io.fhirstream.store.cosmos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Item ids from arbitrary text. Cosmos DB refuses {@code / \ ? #} in an id and ids over 255
 * characters, so every character but letters, digits and {@code - . _ : | @ ! $ & ' ( ) * + , ; =}
 * is percent-encoded (its UTF-8 bytes, as in a URL; readable for FHIR keys and group values), and
 * an id still too long is replaced by {@code ~sha256-} and the hash of the text: {@code ~} never
 * appears in an encoded id, so the two forms cannot collide.
 */
final class CosmosIds {
  static final int MAX_LENGTH = 255;
  private static final String SAFE = "-._:|@!$&'()*+,;=";

  private CosmosIds() {}

  /** The text as an id part, at most {@code maxLength} characters. */
  static String encode(String text, int maxLength) {
    StringBuilder id = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || SAFE.indexOf(c) >= 0) {
        id.append((char) c);
      } else {
        id.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    return id.length() <= maxLength ? id.toString() : "~sha256-" + sha256(text);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

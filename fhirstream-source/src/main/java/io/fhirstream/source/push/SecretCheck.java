package io.fhirstream.source.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Compares a presented header value with the expected one in constant time. Both are hashed first,
 * so neither the length nor a common prefix of the secret shows in the time a check takes.
 */
final class SecretCheck {
  private final byte[] expected;

  SecretCheck(String expectedValue) {
    this.expected = digest(expectedValue);
  }

  /** Whether the presented value (null when the header is missing) is the expected one. */
  boolean accepts(String presented) {
    // A missing header is hashed too, so it takes as long as a wrong one.
    boolean equal = MessageDigest.isEqual(digest(presented == null ? "" : presented), expected);
    return equal && presented != null;
  }

  private static byte[] digest(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

package io.fhirstream.store.sqlite;

/**
 * Checks UTF-8 without decoding it. The writer binds a body's bytes and lets SQLite take them as
 * text, which spares a decode into a Java string and an encode back (a third of the write cost);
 * this check keeps the promise that whatever is stored as text is valid UTF-8 and reads back byte
 * for byte.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * Whether {@code bytes} is well-formed UTF-8 as the JDK's decoder defines it: no overlong forms,
   * no surrogates, nothing above U+10FFFF.
   */
  static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int lead = bytes[i];
      if (lead >= 0) {
        i++;
        continue;
      }
      lead &= 0xff;
      int length;
      int min = 0x80;
      int max = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) {
          min = 0xA0; // overlong
        } else if (lead == 0xED) {
          max = 0x9F; // surrogates
        }
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) {
          min = 0x90; // overlong
        } else if (lead == 0xF4) {
          max = 0x8F; // above U+10FFFF
        }
      } else {
        return false;
      }
      if (i + length > n) {
        return false;
      }
      int second = bytes[i + 1] & 0xff;
      if (second < min || second > max) {
        return false;
      }
      for (int k = 2; k < length; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += length;
    }
    return true;
  }
}

package io.fhirstream.store.mongodb;

/**
 * Reversible escaping of JSON keys into MongoDB field names.
 *
 * <p>MongoDB reads a field name that starts with {@code $} as an operator, a {@code .} as a path
 * separator, and cannot hold a NUL (BSON names are C strings); older servers and the Cosmos DB and
 * DocumentDB flavours also refuse such names outright. FHIR's own keys never contain these, but
 * extensions, contained resources or a hostile source may. So, percent-style:
 *
 * <ul>
 *   <li>{@code %} is always written {@code %25}, which keeps the scheme reversible;
 *   <li>{@code .} is written {@code %2E}, NUL {@code %00}, and a leading {@code $} {@code %24};
 *   <li>the empty key is written {@code %} alone (no escape sequence can produce it).
 * </ul>
 *
 * Every other key, i.e. every key of standard FHIR JSON, is stored unchanged, so queries name FHIR
 * paths as they are ({@code resource.name.family}).
 */
public final class FieldNames {
  private static final String EMPTY = "%";

  private FieldNames() {}

  /** The field name that stores JSON key {@code key}. */
  public static String escape(String key) {
    if (key.isEmpty()) {
      return EMPTY;
    }
    if (!needsEscaping(key)) {
      return key;
    }
    StringBuilder out = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      switch (c) {
        case '%' -> out.append("%25");
        case '.' -> out.append("%2E");
        case '\0' -> out.append("%00");
        case '$' -> out.append(i == 0 ? "%24" : "$");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The JSON key that field name {@code name} stores; the inverse of {@link #escape}. */
  public static String unescape(String name) {
    if (name.equals(EMPTY)) {
      return "";
    }
    if (name.indexOf('%') < 0) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      int code = c == '%' && i + 2 < name.length() ? hex(name, i + 1) : -1;
      if (code >= 0) {
        out.append((char) code);
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The byte written as two hex digits at {@code at}, or -1 (a name fhirstream did not write). */
  private static int hex(String name, int at) {
    int high = Character.digit(name.charAt(at), 16);
    int low = Character.digit(name.charAt(at + 1), 16);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
  }

  private static boolean needsEscaping(String key) {
    if (key.charAt(0) == '$') {
      return true;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.' || c == '%' || c == '\0') {
        return true;
      }
    }
    return false;
  }
}

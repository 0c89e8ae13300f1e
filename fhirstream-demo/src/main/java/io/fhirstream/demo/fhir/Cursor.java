package io.fhirstream.demo.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.List;

/**
 * Paging cursors that describe a result completely, so the server can rebuild it at any time.
 *
 * <p>HAPI puts the cursor in {@code next} links ({@code _getpages=...}) and uses it as the bundle
 * id, so it must be a valid FHIR id: at most 64 of {@code [A-Za-z0-9\-.]}. Numbers are base 36 and
 * fields are separated by dots: {@code h.TYPE.LOWER.UPPER.PUBLISHED} for a history, {@code
 * s.TYPE.FROM.TO.ORDER.UPPER.PUBLISHED} for a {@code _lastUpdated} search. TYPE is the type's
 * position in the server's list, valid for the life of the server (the store lives no longer).
 */
final class Cursor {
  private Cursor() {}

  static String history(int typeIndex, int lower, int upper, long publishedMillis) {
    return "h." + typeIndex + "." + b36(lower) + "." + b36(upper) + "." + b36(publishedMillis);
  }

  static String search(
      int typeIndex, LastUpdatedRange range, boolean descending, int upper, long publishedMillis) {
    return "s."
        + typeIndex
        + "."
        + b36(range.fromInclusive())
        + "."
        + b36(range.toExclusive())
        + "."
        + (descending ? "d" : "a")
        + "."
        + b36(upper)
        + "."
        + b36(publishedMillis);
  }

  /** True if the bundle id names a replayable snapshot (type history or {@code _lastUpdated}). */
  static boolean isCursor(String id) {
    return id != null && (id.startsWith("h.") || id.startsWith("s."));
  }

  /**
   * Rebuilds the result a cursor describes, or returns null if the cursor is not one of ours or
   * points outside the stores (HAPI then answers 410 Gone, as for an expired search).
   */
  static IBundleProvider reopen(String cursor, List<TypeStore> stores, JsonCodec codec) {
    String[] f = cursor.split("\\.");
    try {
      if (f.length == 5 && f[0].equals("h")) {
        TypeStore store = stores.get(Integer.parseInt(f[1]));
        return new HistoryView(store, codec, (int) parse(f[2]), (int) parse(f[3]), parse(f[4]));
      }
      if (f.length == 7 && f[0].equals("s") && (f[4].equals("a") || f[4].equals("d"))) {
        TypeStore store = stores.get(Integer.parseInt(f[1]));
        LastUpdatedRange range = new LastUpdatedRange(parse(f[2]), parse(f[3]));
        return SearchView.byLastUpdated(
            store, codec, range, f[4].equals("d"), (int) parse(f[5]), parse(f[6]));
      }
    } catch (RuntimeException malformed) {
      // NumberFormatException, IndexOutOfBoundsException, IllegalArgumentException: not a valid
      // cursor.
      return null;
    }
    return null;
  }

  private static String b36(long value) {
    return Long.toString(value, 36);
  }

  private static long parse(String value) {
    return Long.parseLong(value, 36);
  }
}

package io.fhirstream.analytics.aggregate;

import java.time.Instant;
import java.util.List;

/**
 * The ids of result documents: the aggregate's name, then each group value, then the window's start
 * (an ISO 8601 instant), joined with {@code |}, e.g. {@code patients_by_city|MA|Boston} or {@code
 * observations_per_code_hourly|8867-4|2024-05-01T10:00:00Z}. A missing value is {@code ~}; the
 * characters {@code % | / \ ? # ~} and control characters in a value are written {@code %XX}, so an
 * id is unambiguous and usable as a document id in every store (Cosmos DB forbids {@code / \ ? #}).
 */
public final class ResultIds {
  private ResultIds() {}

  /** The id of the result of {@code aggregate} for this group and window (null: none). */
  public static String of(String aggregate, List<String> group, Long windowStart) {
    StringBuilder id = new StringBuilder(aggregate);
    for (String value : group) {
      id.append('|');
      appendValue(id, value);
    }
    if (windowStart != null) {
      id.append('|').append(Instant.ofEpochMilli(windowStart));
    }
    return id.toString();
  }

  private static void appendValue(StringBuilder id, String value) {
    if (value == null) {
      id.append('~');
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || "%|/\\?#~".indexOf(c) >= 0) {
        id.append('%')
            .append(Character.forDigit(c >> 4 & 0xf, 16))
            .append(Character.forDigit(c & 0xf, 16));
      } else {
        id.append(c);
      }
    }
  }
}

package io.fhirstream.demo.fhir;

import java.util.Arrays;

/**
 * The append-only list of every version of one resource type, in {@code lastUpdated} order.
 *
 * <p>One writer at a time (the caller holds its {@link TypeStore}'s lock); any number of readers
 * without locks. Readers first read {@link #size()} and then only touch indexes below it: the
 * volatile write of {@code size} after the element is stored publishes the element, and an array
 * replaced on growth is published before the size that covers it, so a reader never sees a hole.
 * Because entries are never changed or removed, a range {@code [lower, upper)} read once stays
 * valid forever, which is what makes history pages stable.
 */
final class VersionLog {
  private volatile ResourceVersion[] items = new ResourceVersion[1024];
  private volatile int size;

  /**
   * Appends a version; its timestamp must not be older than the last one. Caller holds the lock.
   */
  void append(ResourceVersion version) {
    int n = size;
    ResourceVersion[] array = items;
    if (n > 0 && array[n - 1].lastUpdatedMillis() > version.lastUpdatedMillis()) {
      throw new IllegalStateException("History must stay in lastUpdated order");
    }
    if (n == array.length) {
      array = Arrays.copyOf(array, n * 2);
      items = array;
    }
    array[n] = version;
    size = n + 1;
  }

  int size() {
    return size;
  }

  /** The version at {@code index}, which must be below a size this thread has read. */
  ResourceVersion get(int index) {
    return items[index];
  }

  /**
   * The first index in {@code [0, upper)} whose version was written at or after {@code millis}, or
   * {@code upper} if none: a binary search, since the log is ordered by time.
   */
  int firstAtOrAfter(long millis, int upper) {
    ResourceVersion[] array = items;
    int low = 0;
    int high = upper;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (array[mid].lastUpdatedMillis() < millis) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}

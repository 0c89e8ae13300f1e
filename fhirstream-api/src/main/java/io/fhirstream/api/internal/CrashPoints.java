package io.fhirstream.api.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test hook for the fault harness: halts the JVM, like {@code kill -9}, the n-th time a named
 * point is reached, so the harness can crash the pipeline exactly between a write and its
 * acknowledgement (e.g. after the store's flush, before the offset commit). Enabled only by the
 * system property {@code fhirstream.test.crash-at=<point>:<n>}; otherwise a single field read.
 */
public final class CrashPoints {
  /** After the sink's flush and before the offset commit. */
  public static final String SINK_AFTER_FLUSH = "sink-after-flush";

  /** After the hub acknowledged a batch and before the capture cursor is committed. */
  public static final String SOURCE_AFTER_PUBLISH = "source-after-publish";

  private static final String POINT;
  private static final int COUNT;
  private static final AtomicInteger REACHED = new AtomicInteger();

  static {
    String spec = System.getProperty("fhirstream.test.crash-at");
    int colon = spec == null ? -1 : spec.lastIndexOf(':');
    POINT = colon < 0 ? null : spec.substring(0, colon);
    COUNT = colon < 0 ? 0 : Integer.parseInt(spec.substring(colon + 1));
  }

  private CrashPoints() {}

  /** Marks that a point was reached; halts the JVM when it is the configured one, n-th time. */
  public static void reached(String point) {
    if (POINT != null && POINT.equals(point) && REACHED.incrementAndGet() == COUNT) {
      System.err.println("fhirstream: test crash point " + point + " reached; halting");
      Runtime.getRuntime().halt(137);
    }
  }
}

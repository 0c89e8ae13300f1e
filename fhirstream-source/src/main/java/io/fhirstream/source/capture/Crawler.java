package io.fhirstream.source.capture;

import java.time.Instant;

/** Reads all changes of one resource type since a cursor. */
public interface Crawler {

  /**
   * @param since the cursor, or null for everything (backfill)
   */
  Window crawl(Instant since);
}

package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import java.time.Instant;
import java.util.List;

/** Reads the changes of one resource type since a cursor. */
public interface Crawler {

  /**
   * Reads every change since the cursor and hands them over in batches, in the order they must be
   * published (each resource's versions oldest first).
   *
   * @param since the cursor, or null for everything (backfill)
   * @param handler receives each batch; returns only once the batch is durably published
   * @return the new cursor: every change before it has been handed over. Changes at or after it may
   *     have been handed over too (early, for latency) and will be read again next time
   */
  Instant crawl(Instant since, BatchHandler handler);

  /** Receives batches of a crawl. */
  @FunctionalInterface
  interface BatchHandler {
    /**
     * @param events the batch, in publishing order
     * @param committable a cursor that may be committed once this batch is published (every change
     *     before it has been handed over), or null if none may be yet
     */
    void accept(List<ChangeEvent> events, Instant committable);
  }
}

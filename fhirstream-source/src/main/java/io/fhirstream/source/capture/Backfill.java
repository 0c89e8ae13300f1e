package io.fhirstream.source.capture;

import io.fhirstream.api.ChangeEvent;
import java.time.Instant;
import java.util.List;

/**
 * The first load of one resource type, before incremental capture has a cursor: reads the resources
 * current at its start, resumably, possibly on several threads at once.
 */
public interface Backfill {

  /**
   * Reads every resource current when the load began and hands it over in batches.
   *
   * @param saved the progress an interrupted earlier attempt last saved through the handler, or
   *     null to start afresh
   * @param handler receives batches, possibly from several threads at once; each call returns only
   *     once its batch is durably published, after which its {@code progress} may be saved
   * @return the time incremental capture continues from: every change before it has been handed
   *     over, or happened to a resource whose current version was
   */
  Instant load(String saved, ProgressHandler handler);

  /** Receives the batches of a load. Thread-safe. */
  @FunctionalInterface
  interface ProgressHandler {
    /**
     * @param events the batch, in publishing order
     * @param progress what to save once the batch is published, for {@link #load} to resume from;
     *     null if nothing new may be saved yet
     */
    void accept(List<ChangeEvent> events, String progress);

    /**
     * How many resources the load will hand over in all, as far as the server says (e.g. by {@code
     * _summary=count}), for progress reports; {@code -1} when it does not. May come at any time, or
     * never.
     */
    default void total(long resources) {}
  }
}

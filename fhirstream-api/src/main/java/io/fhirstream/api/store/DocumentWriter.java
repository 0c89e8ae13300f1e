package io.fhirstream.api.store;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.VersionOrder;
import java.util.List;

/**
 * Writes change events into a document store. The sink role drives one writer per instance; a store
 * makes its writers with {@link DocumentStoreFactory#createWriter}.
 *
 * <p>Lifecycle, always called from one thread: {@code open(context) → (write(batch)… → flush())… →
 * close()}.
 *
 * <ul>
 *   <li>{@link #write} may buffer. It must be idempotent and <b>version-guarded</b>: an event is
 *       applied only if it is newer than what the store holds for that id ({@link VersionOrder}),
 *       and a deletion is kept as a tombstone with its version so that an older upsert arriving
 *       late can never resurrect the resource.
 *   <li>After {@link #flush} returns, every event passed to {@code write} since the last flush is
 *       durable. The runtime commits event-hub offsets only after flush returns, so a writer that
 *       returns early loses data.
 *   <li>A transient failure (timeout, throttling, lost connection) is thrown as {@link
 *       RetriableException} from write or flush: the runtime rewinds to the last committed offsets
 *       and, after a backoff, re-delivers everything since then (a new write, then flush). A writer
 *       never retries on its own, and must leave nothing half-applied that a re-delivery would not
 *       fix.
 *   <li>An event the store rejects on its own merits is reported through {@link
 *       WriterContext#deadLetters()} and the batch goes on. Reporting may itself throw (the hub is
 *       away); let that propagate.
 *   <li>Anything else is a {@link PipelineException} and stops the sink role.
 * </ul>
 */
public interface DocumentWriter extends AutoCloseable {

  /** Connects to the store and creates what is missing. Called once, before any write. */
  default void open(WriterContext context) {}

  /**
   * Applies a batch of events. Several events for the same id may appear in one batch, in any
   * order; the newest must win.
   */
  void write(List<ChangeEvent> batch);

  /** Makes every event written since the last flush durable. */
  default void flush() {}

  /** Releases the store's resources. Not called concurrently with write or flush. */
  @Override
  default void close() {}
}

package io.fhirstream.api.results;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.store.WriterContext;
import java.util.List;

/**
 * Writes the analytics role's results into a store: the rows of SQL on FHIR views, kept current as
 * resources change, and the documents of aggregates. A store makes it with {@link
 * io.fhirstream.api.store.DocumentStoreFactory#createResultWriter}.
 *
 * <p>Lifecycle, always called from one thread, like {@link io.fhirstream.api.store.DocumentWriter}:
 * {@code open(context) → defineView(table)… → (replaceRows | putResult)… → flush() … → close()}.
 *
 * <ul>
 *   <li>Every write is idempotent and <b>version-guarded</b>: rows replace a resource's rows only
 *       when made from a newer version than the stored rows were ({@link SourceVersion}); a result
 *       replaces an aggregate document only when its version is higher. A deletion leaves a
 *       tombstone with its version, so nothing older brings rows or a document back.
 *   <li>After {@link #flush} returns, everything written since the last flush is durable; the
 *       runtime commits its offsets only then.
 *   <li>Transient failures are thrown as {@link RetriableException}; the runtime re-delivers
 *       everything since its last commit. Anything else is a {@link PipelineException}.
 * </ul>
 */
public interface ResultWriter extends AutoCloseable {

  /** Connects to the store. Called once, before anything else. */
  default void open(WriterContext context) {}

  /**
   * Makes sure the view's table exists with these columns, creating it, or adding columns the view
   * has gained. Called for every view before its rows, at every start.
   *
   * @throws PipelineException when the table exists with a column of another type (another type in
   *     the store: e.g. DATE and TEXT are both text in most stores), naming the view, the column
   *     and the fix (drop the table; the role rebuilds it from the hub); or when the store cannot
   *     give the view's name to a table ({@link ResultNames#requireUsableViewName}), naming the
   *     view and the fix (rename it)
   */
  void defineView(ViewTable view);

  /**
   * Replaces the rows one resource makes in a view with {@code rows} (values in the view's column
   * order, of the Java types {@link ColumnType} lists), unless the stored rows were made from the
   * same or a newer version. No rows (a {@code where} that is false, or a deletion) remove the
   * resource's rows and keep its version.
   *
   * @throws IllegalArgumentException for a view this writer was not given in {@link #defineView},
   *     or a row that does not fit it ({@link ViewTable#requireRow}): a bug of the caller
   */
  void replaceRows(String view, SourceVersion version, List<List<Object>> rows);

  /**
   * Writes an aggregate's result document under {@code id}, unless the stored one has the same or a
   * higher version; a {@code null} document removes it (keeping the version).
   *
   * @param aggregate the aggregate's name (same rule as a view's)
   * @param id the document's id: the aggregate's name and the group's key (and window start)
   * @param document the result as a JSON object, or null when the group is gone
   */
  void putResult(String aggregate, String id, long version, byte[] document);

  /** Makes everything written since the last flush durable. */
  void flush();

  @Override
  default void close() {}
}

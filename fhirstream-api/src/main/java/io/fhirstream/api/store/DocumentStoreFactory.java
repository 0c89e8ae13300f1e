package io.fhirstream.api.store;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.results.ResultWriter;

/**
 * A document store: found with {@link java.util.ServiceLoader} and chosen by the {@code store.type}
 * setting. It makes the {@link DocumentWriter} the sink role writes with, and the {@link
 * DocumentReader} every check reads the store back with (the demo's consistency check, the fault
 * harness's verdict, the benchmarks, reconcile and status).
 *
 * <p>A new store extends {@link TypedStoreFactory}, lists itself in {@code
 * META-INF/services/io.fhirstream.api.store.DocumentStoreFactory}, and is done when its tests pass
 * {@code DocumentWriterContract} and {@code DocumentReaderContract}.
 */
public interface DocumentStoreFactory {

  /** The value of {@code store.type} that selects this store, e.g. {@code sqlite}. */
  String name();

  /** The store's own settings, all under {@code store.<name>.}. */
  ConfigDefinition configDefinition();

  /**
   * A writer for the given, already validated settings; it connects in {@link DocumentWriter#open}.
   *
   * @throws io.fhirstream.api.config.ConfigException naming the key when the settings do not fit
   *     together (e.g. key authentication without a key)
   */
  DocumentWriter createWriter(Config config);

  /**
   * A reader of what a store with these settings holds, connected now, on a connection of its own.
   *
   * @throws io.fhirstream.api.PipelineException if the store cannot be reached or has never been
   *     written (no database file, no schema)
   */
  DocumentReader createReader(Config config);

  /**
   * A writer of the analytics role's results (view rows, aggregate documents) into this store.
   *
   * @throws io.fhirstream.api.PipelineException when the store cannot hold results, naming it
   */
  default ResultWriter createResultWriter(Config config) {
    throw new PipelineException("the " + name() + " store cannot hold analytics results yet");
  }

  /** A reader of the analytics role's results in this store, connected now. */
  default ResultReader createResultReader(Config config) {
    throw new PipelineException("the " + name() + " store cannot hold analytics results yet");
  }
}

/**
 * The results SPI: how a store holds what the analytics role computes. A {@link
 * io.fhirstream.api.results.ResultWriter} keeps each SQL on FHIR view's rows current (a typed
 * table, or a document per row) and writes aggregate documents, every write version-guarded; a
 * {@link io.fhirstream.api.results.ResultReader} reads them back. Both are made by the store's
 * {@link io.fhirstream.api.store.DocumentStoreFactory}, once the store declares them with {@code
 * TypedStoreFactory.holdsResults}; a store holds results when its tests pass {@code
 * ResultWriterContract} (in this module's test-jar).
 *
 * <p>Shared by every store: {@link io.fhirstream.api.results.ResultNames} (the view names a store
 * refuses), {@link io.fhirstream.api.results.ResultBatch} (the newest rows and results until a
 * flush) and {@link io.fhirstream.api.results.JsonColumns} (one JSON spelling of a collection).
 */
package io.fhirstream.api.results;

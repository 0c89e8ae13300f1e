/**
 * The results SPI: how a store holds what the analytics role computes. A {@link
 * io.fhirstream.api.results.ResultWriter} keeps each SQL on FHIR view's rows current (a typed
 * table, or a document per row) and writes aggregate documents, every write version-guarded; a
 * {@link io.fhirstream.api.results.ResultReader} reads them back. Both are made by the store's
 * {@link io.fhirstream.api.store.DocumentStoreFactory}.
 */
package io.fhirstream.api.results;

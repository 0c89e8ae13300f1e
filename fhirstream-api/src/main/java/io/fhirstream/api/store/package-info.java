/**
 * The store SPI: how a document store plugs in.
 *
 * <p>A {@link io.fhirstream.api.store.DocumentStoreFactory}, found by name with ServiceLoader,
 * makes a {@link io.fhirstream.api.store.DocumentWriter} (the sink role writes batches of change
 * events with it: idempotent, version-guarded, durable when {@code flush} returns) and a {@link
 * io.fhirstream.api.store.DocumentReader} (every check reads stored state back with it). The
 * runtime owns polling, retries, dead letters and offset commits, so a store only has to make its
 * writes guarded and its flush durable.
 */
package io.fhirstream.api.store;

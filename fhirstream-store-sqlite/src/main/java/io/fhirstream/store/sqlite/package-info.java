/**
 * The SQLite document store: one file, one table per FHIR resource type, the resource JSON as text
 * so that the {@code sqlite3} shell and SQLite's JSON functions can query it, e.g.
 *
 * <pre>
 * SELECT id, json_extract(resource, '$.name[0].family') FROM Patient WHERE deleted = 0;
 * </pre>
 *
 * <p>{@link io.fhirstream.store.sqlite.SqliteStoreFactory} makes the writer (selected with {@code
 * store.type=sqlite}); {@link io.fhirstream.store.sqlite.SqliteDocumentReader} reads a store on a
 * connection of its own.
 */
package io.fhirstream.store.sqlite;

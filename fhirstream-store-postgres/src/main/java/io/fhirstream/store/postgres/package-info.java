/**
 * The PostgreSQL document store: one table per FHIR resource type, the resource as jsonb, so that
 * SQL and PostgreSQL's JSON operators query it, e.g.
 *
 * <pre>
 * SELECT id, resource #&gt;&gt; '{name,0,family}' FROM "Patient" WHERE NOT deleted;
 * </pre>
 *
 * <p>{@link io.fhirstream.store.postgres.PostgresStoreFactory} makes the writer (selected with
 * {@code store.type=postgres}); {@link io.fhirstream.store.postgres.PostgresDriverCeiling} measures
 * what the bare driver achieves on the same server, for the benchmark.
 */
package io.fhirstream.store.postgres;

/**
 * The Azure Cosmos DB (NoSQL API) document store: one container per FHIR resource type, each item
 * the resource JSON (its id is the item id and, by default, the partition key) plus an object
 * {@code _fhirstream} with the version, last-updated instant and deletion flag, so it can be
 * queried with Cosmos DB SQL, e.g.
 *
 * <pre>
 * SELECT c.id, c.name[0].family FROM c WHERE NOT c._fhirstream.deleted
 * </pre>
 *
 * <p>{@link io.fhirstream.store.cosmos.CosmosStoreFactory} makes the writer (selected with {@code
 * store.type=cosmos}); {@link io.fhirstream.store.cosmos.CosmosDriverCeiling} measures the raw SDK
 * for the benchmark.
 */
package io.fhirstream.store.cosmos;

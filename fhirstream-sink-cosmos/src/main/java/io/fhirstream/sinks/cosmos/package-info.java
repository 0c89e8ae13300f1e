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
 * <p>{@link io.fhirstream.sinks.cosmos.CosmosSinkFactory} makes the sink (selected with {@code
 * sink.store=cosmos}); {@link io.fhirstream.sinks.cosmos.CosmosDriverCeiling} measures the raw SDK
 * for the benchmark.
 */
package io.fhirstream.sinks.cosmos;

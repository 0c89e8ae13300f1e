/**
 * The MongoDB API store (MongoDB, Atlas, Azure Cosmos DB for MongoDB, Amazon DocumentDB): one
 * collection per FHIR resource type, {@code _id} = the FHIR id, the resource as a nested document
 * under {@code resource} with its keys escaped by {@link io.fhirstream.store.mongodb.FieldNames}
 * and its decimals kept exact, e.g.
 *
 * <pre>
 * db.Patient.find({deleted: false, "resource.name.family": "Abshire"})
 * </pre>
 *
 * <p>{@link io.fhirstream.store.mongodb.MongoStoreFactory} makes the writer (selected with {@code
 * store.type=mongodb}); {@link io.fhirstream.store.mongodb.BsonToJson} turns a stored resource back
 * into its JSON.
 */
package io.fhirstream.store.mongodb;

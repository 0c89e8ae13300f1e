package io.fhirstream.store.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.bson.RawBsonDocument;

/**
 * What the raw driver manages on a server, as a ceiling for the writer's throughput: the events'
 * documents (same layout as the writer's, converted before the clock starts) written as unordered
 * bulks of plain {@code replaceOne} upserts by {@code _id}, no version guard, one bulk per batch of
 * the configured size, into a scratch collection created and dropped here, with the configured
 * write concern.
 */
public final class MongoDriverCeiling {
  private MongoDriverCeiling() {}

  /**
   * @return documents written per second
   * @throws PipelineException if an event cannot be stored at all or the server fails
   */
  public static double upsertsPerSecond(MongoStoreConfig config, List<ChangeEvent> events) {
    List<RawBsonDocument> documents = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      try {
        documents.add(StoredLayout.toDocument(event));
      } catch (BadEventException e) {
        throw new PipelineException(event + " cannot be stored: " + e.getMessage());
      }
    }
    String scratch = "fhirstream_ceiling_" + UUID.randomUUID().toString().replace("-", "");
    ReplaceOptions upsert = new ReplaceOptions().upsert(true);
    BulkWriteOptions unordered = new BulkWriteOptions().ordered(false);
    try (MongoClient client = MongoConnection.open(config)) {
      MongoCollection<RawBsonDocument> collection =
          client
              .getDatabase(config.database())
              .withWriteConcern(config.writeConcern())
              .getCollection(scratch, RawBsonDocument.class);
      try {
        long start = System.nanoTime();
        for (int from = 0; from < documents.size(); from += config.batchSize()) {
          List<WriteModel<RawBsonDocument>> bulk = new ArrayList<>(config.batchSize());
          for (RawBsonDocument document :
              documents.subList(from, Math.min(documents.size(), from + config.batchSize()))) {
            bulk.add(
                new ReplaceOneModel<>(
                    Filters.eq(StoredLayout.ID, document.get(StoredLayout.ID)), document, upsert));
          }
          collection.bulkWrite(bulk, unordered);
        }
        long nanos = System.nanoTime() - start;
        return documents.size() / (Math.max(nanos, 1) / 1e9);
      } finally {
        collection.drop();
      }
    } catch (com.mongodb.MongoException e) {
      throw MongoErrors.translate(
          e,
          "measuring the driver ceiling",
          config.database(),
          ConnectionStringRedaction.of(config.connectionString().value()));
    }
  }
}

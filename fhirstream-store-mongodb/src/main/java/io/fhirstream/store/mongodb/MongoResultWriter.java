package io.fhirstream.store.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteManyModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.results.ResultBatch;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.WriterContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.BsonArray;
import org.bson.BsonBinaryWriter;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the analytics role's results into a MongoDB database ({@link ResultLayout}): a collection
 * per view, the versions of its rows in {@code view_versions}, aggregate documents in {@code
 * aggregate_results}.
 *
 * <p>MongoDB gives no transaction here (most deployments' flavours, and the test server, have
 * none), so {@link #flush} replaces a chunk of resources' rows in three unordered bulk writes, each
 * idempotent, with the version document as the guard and the record of work in progress:
 *
 * <ol>
 *   <li>the version documents are upserted with {@code pending: true} under {@link VersionGuard}'s
 *       filter, which also matches the same version still pending (a replacement an outage
 *       interrupted, finished by the re-delivery); a duplicate key on {@code _id} is the guard
 *       declining, and that resource is left alone;
 *   <li>the accepted resources' new rows are upserted by {@code _id} and their rows past the new
 *       count deleted (whatever version wrote them);
 *   <li>their version documents are set to {@code pending: false}.
 * </ol>
 *
 * A reader may see a resource's rows half replaced while its version is pending; after a flush
 * returns, none is. Aggregate results are guarded replaceOne upserts, like the documents.
 */
public final class MongoResultWriter implements ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MongoResultWriter.class);
  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
  private static final ReplaceOptions REPLACE_UPSERT = new ReplaceOptions().upsert(true);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoStoreConfig config;
  private final ConnectionStringRedaction redaction;
  private final Map<String, ViewTable> views = new HashMap<>();
  private final ResultBatch pending = new ResultBatch();
  private MongoClient client;
  private MongoDatabase database;
  private ViewCollections collections;

  public MongoResultWriter(MongoStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.redaction = ConnectionStringRedaction.of(config.connectionString().value());
  }

  @Override
  public void open(WriterContext context) {
    if (client != null) {
      throw new IllegalStateException("the result writer is already open");
    }
    client = MongoConnection.open(config);
    database = client.getDatabase(config.database()).withWriteConcern(config.writeConcern());
    collections = new ViewCollections(database);
    try {
      database.runCommand(new BsonDocument("ping", new BsonInt32(1)));
    } catch (MongoException e) {
      RuntimeException failure = translate(e, "connecting");
      close();
      throw failure;
    }
    LOG.info(
        "MongoDB store open for analytics results: database {} on {}",
        config.database(),
        MongoConnection.hosts(config));
  }

  @Override
  public void defineView(ViewTable view) {
    requireOpen();
    try {
      collections.define(view);
    } catch (MongoException e) {
      throw translate(e, "defining view " + view.name());
    }
    views.put(view.name(), view);
  }

  @Override
  public void replaceRows(String view, SourceVersion version, List<List<Object>> rows) {
    requireOpen();
    ViewTable table = views.get(view);
    if (table == null) {
      throw new IllegalArgumentException("view " + view + " was not defined with defineView");
    }
    rows.forEach(table::requireRow);
    pending.addRows(view, version, rows);
  }

  @Override
  public void putResult(String aggregate, String id, long version, byte[] document) {
    requireOpen();
    ResultNames.requireAggregateName(aggregate);
    pending.addResult(aggregate, id, version, document);
  }

  /** Sends what was kept since the last flush; when this returns, it is durable. */
  @Override
  public void flush() {
    requireOpen();
    if (pending.isEmpty()) {
      return;
    }
    try {
      for (Map.Entry<String, List<ResultBatch.Rows>> view : pending.rowsByView().entrySet()) {
        List<ResultBatch.Rows> resources = view.getValue();
        for (int from = 0; from < resources.size(); from += config.batchSize()) {
          replaceRows(
              views.get(view.getKey()),
              resources.subList(from, Math.min(resources.size(), from + config.batchSize())));
        }
      }
      for (List<ResultBatch.Result> results : pending.resultsByAggregate().values()) {
        for (int from = 0; from < results.size(); from += config.batchSize()) {
          putResults(results.subList(from, Math.min(results.size(), from + config.batchSize())));
        }
      }
    } finally {
      // Written, or to be re-delivered by the runtime: no longer ours to keep.
      pending.clear();
    }
  }

  private void replaceRows(ViewTable view, List<ResultBatch.Rows> resources) {
    List<WriteModel<BsonDocument>> markers = new ArrayList<>(resources.size());
    for (ResultBatch.Rows resource : resources) {
      SourceVersion version = resource.version();
      BsonArray accepts = VersionGuard.storedOlderThan(version.versionId(), version.lastUpdated());
      accepts.add(ResultLayout.samePendingVersion(version));
      BsonDocument filter =
          new BsonDocument(
                  StoredLayout.ID,
                  new BsonString(ResultLayout.versionId(view.name(), version.resourceKey())))
              .append("$or", accepts);
      markers.add(
          new UpdateOneModel<>(
              filter,
              new BsonDocument("$set", ResultLayout.versionFields(view.name(), version, true)),
              UPSERT));
    }
    String where = "collection " + ResultNames.VIEW_VERSIONS;
    Set<Integer> declined = guardedBulk(collections.versions(), markers, where);
    List<ResultBatch.Rows> accepted = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) {
      if (!declined.contains(i)) {
        accepted.add(resources.get(i));
      }
    }
    if (accepted.isEmpty()) {
      return;
    }
    List<WriteModel<BsonDocument>> rows = new ArrayList<>();
    List<WriteModel<BsonDocument>> done = new ArrayList<>(accepted.size());
    for (ResultBatch.Rows resource : accepted) {
      String key = resource.version().resourceKey();
      for (int row = 0; row < resource.rows().size(); row++) {
        BsonDocument document = ResultLayout.row(view, key, row, resource.rows().get(row));
        rows.add(
            new ReplaceOneModel<>(
                Filters.eq(StoredLayout.ID, document.get(StoredLayout.ID)),
                document,
                REPLACE_UPSERT));
      }
      rows.add(
          new DeleteManyModel<>(
              Filters.and(
                  Filters.eq(ResultLayout.RESOURCE_KEY, key),
                  Filters.gte(ResultLayout.ROW, resource.rows().size()))));
      done.add(
          new UpdateOneModel<>(
              ResultLayout.samePendingVersion(resource.version())
                  .append(
                      StoredLayout.ID, new BsonString(ResultLayout.versionId(view.name(), key))),
              new BsonDocument("$set", new BsonDocument(ResultLayout.PENDING, BsonBoolean.FALSE))));
    }
    bulk(collections.rows(view.name()), rows, "collection " + view.name());
    bulk(collections.versions(), done, where);
  }

  private void putResults(List<ResultBatch.Result> results) {
    List<WriteModel<RawBsonDocument>> models = new ArrayList<>(results.size());
    for (ResultBatch.Result result : results) {
      BsonString id = new BsonString(ResultLayout.resultId(result.aggregate(), result.id()));
      BsonDocument filter =
          new BsonDocument(StoredLayout.ID, id)
              .append("version", new BsonDocument("$lt", new BsonInt64(result.version())));
      models.add(new ReplaceOneModel<>(filter, resultDocument(result, id), REPLACE_UPSERT));
    }
    guardedBulk(
        database.getCollection(ResultNames.AGGREGATE_RESULTS, RawBsonDocument.class),
        models,
        "collection " + ResultNames.AGGREGATE_RESULTS);
  }

  /** The stored result: the JSON streamed into BSON as the resources are ({@link JsonToBson}). */
  private static RawBsonDocument resultDocument(ResultBatch.Result result, BsonString id) {
    BasicOutputBuffer buffer =
        new BasicOutputBuffer(result.document() == null ? 256 : result.document().length + 256);
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      writer.writeStartDocument();
      writer.writeString(StoredLayout.ID, id.getValue());
      writer.writeString("aggregate", result.aggregate());
      writer.writeString("id", result.id());
      writer.writeInt64("version", result.version());
      writer.writeBoolean(StoredLayout.DELETED, result.document() == null);
      if (result.document() != null) {
        writer.writeName("document");
        JsonToBson.writeResource(result.document(), writer);
      }
      writer.writeEndDocument();
    } catch (BadEventException e) {
      throw new PipelineException(
          "the result "
              + result.id()
              + " of aggregate "
              + result.aggregate()
              + " cannot be stored in MongoDB: "
              + e.getMessage().replace("resource", "result"));
    }
    return new RawBsonDocument(buffer.getInternalBuffer(), 0, buffer.getPosition());
  }

  /**
   * One unordered bulk write of guarded upserts.
   *
   * @return the indexes the guard declined (a duplicate key on {@code _id}: the stored document is
   *     the same or newer)
   */
  private <T> Set<Integer> guardedBulk(
      MongoCollection<T> collection, List<? extends WriteModel<T>> models, String where) {
    Set<Integer> declined = new HashSet<>();
    try {
      collection.bulkWrite(models, UNORDERED);
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null) {
        throw MongoErrors.writeConcernFailed(e, "writing results to " + where, config.database());
      }
      for (BulkWriteError error : e.getWriteErrors()) {
        if (MongoErrors.isStoredSameOrNewer(error)) {
          declined.add(error.getIndex());
        } else {
          throw failed(error, where, e);
        }
      }
    } catch (MongoException e) {
      throw translate(e, "writing " + models.size() + " results to " + where);
    }
    return declined;
  }

  private <T> void bulk(
      MongoCollection<T> collection, List<? extends WriteModel<T>> models, String where) {
    if (models.isEmpty()) {
      return;
    }
    try {
      collection.bulkWrite(models, UNORDERED);
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null) {
        throw MongoErrors.writeConcernFailed(e, "writing results to " + where, config.database());
      }
      throw failed(e.getWriteErrors().get(0), where, e);
    } catch (MongoException e) {
      throw translate(e, "writing " + models.size() + " results to " + where);
    }
  }

  /** A refused write: retriable when transient, else it stops the role (no value quoted). */
  private RuntimeException failed(BulkWriteError error, String where, MongoException cause) {
    String what =
        "MongoDB refused a result document in " + where + " of database " + config.database();
    if (MongoErrors.isTransientCode(error.getCode())) {
      return new RetriableException(
          what + " for now (error " + error.getCode() + "); the flush will be retried", cause);
    }
    return new PipelineException(what + ": " + MongoErrors.refusalReason(error), cause);
  }

  private RuntimeException translate(MongoException e, String doing) {
    return MongoErrors.translate(e, doing, config.database(), redaction);
  }

  /** Drops what was not flushed (the runtime re-delivers it) and closes the client. */
  @Override
  public void close() {
    if (!pending.isEmpty()) {
      LOG.info("closing with {} results not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    if (client != null) {
      client.close();
      client = null;
      database = null;
      collections = null;
    }
  }

  private void requireOpen() {
    if (client == null) {
      throw new IllegalStateException("open the result writer first");
    }
  }
}

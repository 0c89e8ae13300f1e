package io.fhirstream.store.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.Batches;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.RawBsonDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into a MongoDB database, one collection per resource type (see {@link
 * StoredLayout} for the documents and {@link VersionGuard} for the guard).
 *
 * <p>{@link #write} converts each event's JSON to BSON at once (a body that cannot be stored goes
 * to the dead letters there) and keeps the newest per resource; pending documents are sent as
 * unordered bulk writes of version-guarded {@code replaceOne} upserts when a full batch is pending
 * and at {@link #flush}. A bulk write returns once the configured write concern (by default
 * majority, journaled) acknowledges it, so when flush returns its events are durable.
 *
 * <p>Per document: a duplicate key on {@code _id} is the guard declining an older or equal version
 * and is not an error; a transient error fails the flush as retriable; any other refusal goes to
 * the dead letters, after the whole flush has been attempted. Nothing needs undoing after a
 * failure: every write is idempotent and guarded, so the re-delivery finishes the job.
 */
public final class MongoDocumentWriter implements DocumentWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MongoDocumentWriter.class);
  private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

  private final MongoStoreConfig config;
  private final ConnectionStringRedaction redaction;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Map<String, MongoCollection<RawBsonDocument>> collections = new HashMap<>();

  private DeadLetterReporter deadLetters;
  private MongoClient client;
  private MongoDatabase database;

  /** One event waiting to be sent, with its stored document. */
  private record Pending(ChangeEvent event, RawBsonDocument document) {}

  /** A document the server refused, reported once the flush has been attempted in full. */
  private record Refusal(ChangeEvent event, String reason) {}

  /** A writer for the given settings; nothing is opened until {@link #open}. */
  public MongoDocumentWriter(MongoStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.redaction = ConnectionStringRedaction.of(config.connectionString().value());
  }

  /**
   * Creates the client and checks the database answers, so that an unreachable server or wrong
   * credentials show at start-up.
   */
  @Override
  public void open(WriterContext context) {
    if (client != null) {
      throw new IllegalStateException("the writer is already open");
    }
    deadLetters = Objects.requireNonNull(context.deadLetters(), "context.deadLetters()");
    client = MongoConnection.open(config);
    database = client.getDatabase(config.database()).withWriteConcern(config.writeConcern());
    try {
      database.runCommand(new BsonDocument("ping", new BsonInt32(1)));
    } catch (MongoException e) {
      RuntimeException failure = translate(e, "connecting");
      close();
      throw failure;
    }
    LOG.info(
        "MongoDB store open: database {} on {}, write concern {}",
        config.database(),
        MongoConnection.hosts(config),
        config.writeConcern().asDocument().toJson());
  }

  /**
   * Converts the newest event per resource and queues it; sends the queue once it holds a full
   * batch. An event whose type cannot name a collection or whose body cannot be stored goes to the
   * dead letters.
   */
  @Override
  public void write(List<ChangeEvent> batch) {
    requireOpen();
    for (ChangeEvent event : Batches.newestPerResource(batch)) {
      String key = event.resourceType() + '/' + event.id();
      Pending held = pending.get(key);
      if (held != null && !VersionOrder.isNewer(event, held.event())) {
        continue;
      }
      try {
        if (!StoredLayout.isValidCollectionName(event.resourceType())) {
          throw new BadEventException(
              "resourceType is not a FHIR resource type name ([A-Z][A-Za-z]{0,63})");
        }
        pending.put(key, new Pending(event, StoredLayout.toDocument(event)));
      } catch (BadEventException e) {
        LOG.debug("dead-lettering {}: {}", event, e.getMessage());
        deadLetters.report(event, e.getMessage());
      }
    }
    if (pending.size() >= config.batchSize()) {
      send();
    }
  }

  /** Sends what is queued; when this returns, every event written so far is durable. */
  @Override
  public void flush() {
    requireOpen();
    send();
  }

  /** Drops what was not flushed (the event hub re-delivers it) and closes the client. */
  @Override
  public void close() {
    if (!pending.isEmpty()) {
      LOG.info("closing with {} events not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    collections.clear();
    if (client != null) {
      client.close();
      client = null;
      database = null;
    }
  }

  private void send() {
    if (pending.isEmpty()) {
      return;
    }
    // Taken off the queue first: after a failure the runtime re-delivers them anyway.
    Map<String, List<Pending>> byType = new LinkedHashMap<>();
    for (Pending item : pending.values()) {
      byType.computeIfAbsent(item.event().resourceType(), type -> new ArrayList<>()).add(item);
    }
    int count = pending.size();
    pending.clear();
    List<Refusal> refusals = new ArrayList<>();
    int applied = 0;
    for (Map.Entry<String, List<Pending>> entry : byType.entrySet()) {
      List<Pending> items = entry.getValue();
      for (int from = 0; from < items.size(); from += config.batchSize()) {
        List<Pending> chunk =
            items.subList(from, Math.min(items.size(), from + config.batchSize()));
        applied += bulkWrite(entry.getKey(), chunk, refusals);
      }
    }
    for (Refusal refusal : refusals) {
      LOG.debug("dead-lettering {}: {}", refusal.event(), refusal.reason());
      deadLetters.report(refusal.event(), refusal.reason());
    }
    LOG.debug(
        "wrote {} events: {} applied, {} refused, the others not newer than the stored version",
        count,
        applied,
        refusals.size());
  }

  /** One unordered bulk of guarded upserts; returns how many documents were replaced or added. */
  private int bulkWrite(String type, List<Pending> chunk, List<Refusal> refusals) {
    List<WriteModel<RawBsonDocument>> models = new ArrayList<>(chunk.size());
    for (Pending item : chunk) {
      models.add(new ReplaceOneModel<>(VersionGuard.filter(item.event()), item.document(), UPSERT));
    }
    String doing = "writing " + chunk.size() + " documents to collection " + type;
    try {
      BulkWriteResult result = collection(type).bulkWrite(models, UNORDERED);
      return result.getModifiedCount() + result.getUpserts().size();
    } catch (MongoBulkWriteException e) {
      if (e.getWriteConcernError() != null) {
        throw MongoErrors.writeConcernFailed(e, doing, config.database());
      }
      for (BulkWriteError error : e.getWriteErrors()) {
        if (MongoErrors.isStoredSameOrNewer(error)) {
          continue;
        }
        if (MongoErrors.isTransientCode(error.getCode())) {
          throw new RetriableException(
              "MongoDB could not apply a document now (error "
                  + error.getCode()
                  + (error.getCode() == 16500 ? ", Cosmos DB request rate too large" : "")
                  + ") while "
                  + doing
                  + " in database "
                  + config.database()
                  + "; the batch will be retried",
              e);
        }
        refusals.add(new Refusal(chunk.get(error.getIndex()).event(), refusalReason(error)));
      }
      return e.getWriteResult().getModifiedCount() + e.getWriteResult().getUpserts().size();
    } catch (MongoException e) {
      throw translate(e, doing);
    }
  }

  private static String refusalReason(BulkWriteError error) {
    return MongoErrors.refusalReason(error);
  }

  private MongoCollection<RawBsonDocument> collection(String type) {
    return collections.computeIfAbsent(
        type, name -> database.getCollection(name, RawBsonDocument.class));
  }

  private RuntimeException translate(MongoException e, String doing) {
    return MongoErrors.translate(e, doing, config.database(), redaction);
  }

  private void requireOpen() {
    if (client == null) {
      throw new IllegalStateException("open the writer before writing or flushing");
    }
  }
}

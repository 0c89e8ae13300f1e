package io.fhirstream.store.mongodb;

import com.mongodb.MongoException;
import com.mongodb.ReadPreference;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Collation;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;

/**
 * Reads a MongoDB store ({@link StoredLayout}'s documents) with a client of its own, from the
 * primary, so each call sees every write a flush acknowledged before it began. Resources come back
 * as the JSON they were written from ({@link BsonToJson}): keys unescaped, decimals exact, key
 * order and whitespace not kept. Not thread-safe.
 */
public final class MongoDocumentReader implements DocumentReader {
  /** Byte order, whatever default collation a collection was given: Java's order for these ids. */
  private static final Collation BINARY = Collation.builder().locale("simple").build();

  private static final Bson WITHOUT_RESOURCE = Projections.exclude(StoredLayout.RESOURCE);

  private final MongoStoreConfig config;
  private final ConnectionStringRedaction redaction;
  private final MongoClient client;
  private final MongoDatabase database;

  private MongoDocumentReader(MongoStoreConfig config, MongoClient client) {
    this.config = config;
    this.redaction = ConnectionStringRedaction.of(config.connectionString().value());
    this.client = client;
    this.database =
        client.getDatabase(config.database()).withReadPreference(ReadPreference.primary());
  }

  /**
   * Connects and checks that the database holds something.
   *
   * @throws PipelineException naming the database when it holds no collection (MongoDB cannot tell
   *     that from one that does not exist), or the fix when the server refuses the credentials; a
   *     {@link io.fhirstream.api.RetriableException} when no server answers
   */
  public static MongoDocumentReader open(MongoStoreConfig config) {
    MongoDocumentReader reader = new MongoDocumentReader(config, MongoConnection.open(config));
    try {
      boolean empty =
          reader.call(
              "opening the store",
              () -> {
                reader.database.runCommand(new BsonDocument("ping", new BsonInt32(1)));
                return reader.database.listCollectionNames().first() == null;
              });
      if (empty) {
        throw new PipelineException(
            "MongoDB database "
                + config.database()
                + " on "
                + MongoConnection.hosts(config)
                + " holds no collections: nothing has been written there yet; check "
                + MongoStoreConfig.DATABASE);
      }
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
    return reader;
  }

  @Override
  public List<String> resourceTypes() {
    return call(
        "listing the resource types",
        () -> {
          List<String> types = new ArrayList<>();
          for (BsonDocument collection : database.listCollections(BsonDocument.class)) {
            String name = collection.getString("name").getValue();
            // Views are not the store's; a server that does not say the type lists collections.
            boolean isCollection =
                !collection.containsKey("type")
                    || "collection".equals(collection.getString("type").getValue());
            if (isCollection && StoredLayout.isValidCollectionName(name)) {
              types.add(name);
            }
          }
          types.sort(null);
          return types;
        });
  }

  @Override
  public Optional<StoredDocument> read(String resourceType, String id) {
    if (!StoredLayout.isValidCollectionName(resourceType)) {
      return Optional.empty();
    }
    return call(
        "reading " + resourceType + "/" + id,
        () -> {
          RawBsonDocument stored =
              collection(resourceType).find(Filters.eq(StoredLayout.ID, id)).first();
          return Optional.ofNullable(stored).map(found -> document(resourceType, found));
        });
  }

  @Override
  public void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor) {
    if (!StoredLayout.isValidCollectionName(resourceType)) {
      return;
    }
    call(
        "reading every " + resourceType,
        () -> {
          FindIterable<RawBsonDocument> found =
              collection(resourceType)
                  .find()
                  .sort(Sorts.ascending(StoredLayout.ID))
                  .collation(BINARY);
          if (!withBodies) {
            found = found.projection(WITHOUT_RESOURCE);
          }
          try (MongoCursor<RawBsonDocument> cursor = found.iterator()) {
            while (cursor.hasNext()) {
              RawBsonDocument stored = cursor.next();
              // Only string ids are the store's; other tools' documents are passed over.
              if (stored.isString(StoredLayout.ID)) {
                visitor.accept(document(resourceType, stored));
              }
            }
          }
          return null;
        });
  }

  @Override
  public long count(String resourceType) {
    return count(resourceType, false);
  }

  @Override
  public long countDeleted(String resourceType) {
    return count(resourceType, true);
  }

  private long count(String resourceType, boolean deleted) {
    if (!StoredLayout.isValidCollectionName(resourceType)) {
      return 0;
    }
    return call(
        "counting " + resourceType,
        () -> collection(resourceType).countDocuments(Filters.eq(StoredLayout.DELETED, deleted)));
  }

  private MongoCollection<RawBsonDocument> collection(String resourceType) {
    return database.getCollection(resourceType, RawBsonDocument.class);
  }

  private <T> T call(String doing, Supplier<T> work) {
    try {
      return work.get();
    } catch (MongoException e) {
      throw MongoErrors.translate(e, doing, config.database(), redaction);
    }
  }

  /**
   * The stored document as the SPI's record; the exact {@code lastUpdatedSeconds/Nanos} when
   * present, else the millisecond date.
   *
   * @throws PipelineException when the resource holds a BSON type fhirstream never writes
   */
  private static StoredDocument document(String resourceType, BsonDocument stored) {
    String id = stored.getString(StoredLayout.ID).getValue();
    boolean deleted = stored.getBoolean(StoredLayout.DELETED, BsonBoolean.FALSE).getValue();
    String resource = null;
    if (!deleted && stored.isDocument(StoredLayout.RESOURCE)) {
      try {
        resource =
            new String(
                BsonToJson.toJson(stored.getDocument(StoredLayout.RESOURCE)),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new PipelineException(
            "the stored "
                + resourceType
                + "/"
                + id
                + " cannot be read back as FHIR JSON ("
                + e.getMessage()
                + "); another tool changed it: write it again from the source");
      }
    }
    return new StoredDocument(
        resourceType,
        id,
        text(stored.get(StoredLayout.VERSION_ID)),
        lastUpdated(stored),
        deleted,
        resource);
  }

  private static String text(BsonValue value) {
    return value == null || !value.isString() ? null : value.asString().getValue();
  }

  private static Instant lastUpdated(BsonDocument stored) {
    BsonValue seconds = stored.get(StoredLayout.LAST_UPDATED_SECONDS);
    BsonValue nanos = stored.get(StoredLayout.LAST_UPDATED_NANOS);
    if (seconds != null && seconds.isNumber() && nanos != null && nanos.isNumber()) {
      return Instant.ofEpochSecond(seconds.asNumber().longValue(), nanos.asNumber().intValue());
    }
    BsonValue date = stored.get(StoredLayout.LAST_UPDATED);
    return date != null && date.isDateTime()
        ? Instant.ofEpochMilli(date.asDateTime().getValue())
        : null;
  }

  @Override
  public void close() {
    client.close();
  }
}

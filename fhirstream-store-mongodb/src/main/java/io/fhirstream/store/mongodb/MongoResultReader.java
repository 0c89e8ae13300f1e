package io.fhirstream.store.mongodb;

import com.mongodb.ReadPreference;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bson.BsonDocument;

/**
 * Reads the analytics results of a MongoDB database ({@link ResultLayout}) from the primary, with a
 * client of its own. A view's columns come from {@code view_definitions}; values come back as Java
 * values of their BSON types (int64 as Long, decimal128 as BigDecimal, arrays as lists). Not
 * thread-safe.
 */
public final class MongoResultReader implements ResultReader {
  private final MongoStoreConfig config;
  private final ConnectionStringRedaction redaction;
  private final MongoClient client;
  private final MongoDatabase database;
  private final ViewCollections collections;

  private MongoResultReader(MongoStoreConfig config, MongoClient client) {
    this.config = config;
    this.redaction = ConnectionStringRedaction.of(config.connectionString().value());
    this.client = client;
    this.database =
        client.getDatabase(config.database()).withReadPreference(ReadPreference.primary());
    this.collections = new ViewCollections(database);
  }

  /** A reader of the configured database; the client connects on its first call. */
  public static MongoResultReader open(MongoStoreConfig config) {
    return new MongoResultReader(config, MongoConnection.open(config));
  }

  @Override
  public List<String> columns(String view) {
    return call(
        "reading the columns of view " + view,
        () -> List.copyOf(collections.recordedColumns(view).keySet()));
  }

  @Override
  public Map<String, List<List<Object>>> rows(String view) {
    return call(
        "reading the rows of view " + view,
        () -> {
          Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
          List<String> columns = List.copyOf(collections.recordedColumns(view).keySet());
          if (columns.isEmpty()) {
            return rows;
          }
          for (BsonDocument stored :
              collections
                  .rows(view)
                  .find()
                  .sort(Sorts.ascending(ResultLayout.RESOURCE_KEY, ResultLayout.ROW))) {
            List<Object> row = new ArrayList<>(columns.size());
            for (String column : columns) {
              row.add(ResultLayout.java(stored.get(column)));
            }
            String key = stored.getString(ResultLayout.RESOURCE_KEY).getValue();
            rows.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
          }
          return rows;
        });
  }

  @Override
  public Map<String, byte[]> results(String aggregate) {
    return call(
        "reading the results of aggregate " + aggregate,
        () -> {
          Map<String, byte[]> results = new LinkedHashMap<>();
          for (BsonDocument stored :
              database
                  .getCollection(ResultNames.AGGREGATE_RESULTS, BsonDocument.class)
                  .find(
                      Filters.and(Filters.eq("aggregate", aggregate), Filters.eq("deleted", false)))
                  .sort(Sorts.ascending(StoredLayout.ID))) {
            results.put(
                stored.getString("id").getValue(),
                BsonToJson.toJson(stored.getDocument("document")));
          }
          return results;
        });
  }

  private <T> T call(String doing, Supplier<T> read) {
    try {
      return read.get();
    } catch (com.mongodb.MongoException e) {
      throw MongoErrors.translate(e, doing, config.database(), redaction);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}

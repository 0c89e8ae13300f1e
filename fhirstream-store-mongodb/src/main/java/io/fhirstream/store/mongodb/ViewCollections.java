package io.fhirstream.store.mongodb;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ViewTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * A view's collection and its entry in {@value ResultNames#VIEW_DEFINITIONS}: MongoDB has no
 * schema, so the columns and their BSON types are recorded there, to add columns a view gained,
 * refuse one whose type changed, and give a reader the columns' order.
 */
final class ViewCollections {
  private static final int NAMESPACE_EXISTS = 48;

  private final MongoDatabase database;

  ViewCollections(MongoDatabase database) {
    this.database = database;
  }

  MongoCollection<BsonDocument> definitions() {
    return database.getCollection(ResultNames.VIEW_DEFINITIONS, BsonDocument.class);
  }

  MongoCollection<BsonDocument> versions() {
    return database.getCollection(ResultNames.VIEW_VERSIONS, BsonDocument.class);
  }

  MongoCollection<BsonDocument> rows(String view) {
    return database.getCollection(view, BsonDocument.class);
  }

  /**
   * Creates the view's collection and index when missing (then forgetting the versions of rows it
   * no longer has), and records its columns.
   *
   * @throws PipelineException for a name the store cannot give the collection, a collection of that
   *     name that is not a view's, or a column whose type changed
   */
  void define(ViewTable view) {
    ResultNames.requireUsableViewName(view.name());
    boolean exists = collectionExists(view.name());
    Map<String, String> columns = new LinkedHashMap<>();
    if (exists) {
      BsonDocument foreign =
          rows(view.name()).find(Filters.exists(ResultLayout.RESOURCE_KEY, false)).first();
      if (foreign != null) {
        throw new PipelineException(
            "view "
                + view.name()
                + " cannot be stored: the database holds a collection "
                + view.name()
                + " that is not a view's (its documents have no "
                + ResultLayout.RESOURCE_KEY
                + "); drop or rename that collection, or rename the view");
      }
      columns.putAll(recordedColumns(view.name()));
    } else {
      try {
        database.createCollection(view.name());
      } catch (MongoCommandException e) {
        if (e.getErrorCode() != NAMESPACE_EXISTS) {
          throw e;
        }
        // Another instance created it a moment ago.
      }
      versions().deleteMany(Filters.eq("view", view.name()));
    }
    // Rows are found by resource: replaced, deleted and read back in order.
    rows(view.name()).createIndex(Indexes.ascending(ResultLayout.RESOURCE_KEY, ResultLayout.ROW));
    for (ViewTable.Column column : view.columns()) {
      String wanted = ResultLayout.storedType(column.type());
      String stored = columns.putIfAbsent(column.name(), wanted);
      if (stored != null && !stored.equals(wanted)) {
        throw new PipelineException(
            "view "
                + view.name()
                + ": column "
                + column.name()
                + " holds "
                + stored
                + " values in collection "
                + view.name()
                + " but the view now makes "
                + column.type()
                + " values ("
                + wanted
                + "); drop the collection (db."
                + view.name()
                + ".drop()) and restart: the analytics role rebuilds it from the event hub");
      }
    }
    BsonArray recorded = new BsonArray();
    columns.forEach(
        (name, type) ->
            recorded.add(
                new BsonDocument("name", new BsonString(name))
                    .append("type", new BsonString(type))));
    definitions()
        .replaceOne(
            Filters.eq(StoredLayout.ID, view.name()),
            new BsonDocument(StoredLayout.ID, new BsonString(view.name()))
                .append("columns", recorded),
            new ReplaceOptions().upsert(true));
  }

  /** The recorded columns of a view and their BSON types, in order; empty when none. */
  Map<String, String> recordedColumns(String view) {
    Map<String, String> columns = new LinkedHashMap<>();
    BsonDocument definition = definitions().find(Filters.eq(StoredLayout.ID, view)).first();
    if (definition != null) {
      for (BsonValue column : definition.getArray("columns", new BsonArray())) {
        BsonDocument entry = column.asDocument();
        columns.put(entry.getString("name").getValue(), entry.getString("type").getValue());
      }
    }
    return columns;
  }

  boolean collectionExists(String name) {
    // Compared here rather than filtered by the server: not every MongoDB flavour filters
    // listCollections.
    return database.listCollectionNames().into(new ArrayList<>()).contains(name);
  }
}

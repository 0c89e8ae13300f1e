package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonDocument;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

/**
 * The guard's filter, evaluated by the server, decides exactly as {@link VersionOrder#isNewer}.
 * mongo-java-server scans a collection for such a filter, so each stored state gets a small
 * collection of its own.
 */
class VersionGuardTest {
  // Kept small: the server takes milliseconds per guarded upsert. 9 < 10 as numbers, not text;
  // a second earlier but more nanoseconds; no version or no time at all.
  private static final String[] VERSIONS = {null, "1", "9", "10", "a"};
  private static final Instant T = Instant.parse("2024-05-01T08:00:00.123456789Z");
  private static final Instant[] INSTANTS = {
    null, T, T.plusNanos(1), T.minusSeconds(1).plusNanos(2)
  };

  private static ChangeEvent event(String version, Instant lastUpdated, String marker) {
    return ChangeEvent.upsert(
        "Patient",
        "id-" + version + "-" + lastUpdated,
        version,
        lastUpdated,
        ("{\"marker\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void serverAppliesTheFilterExactlyAsVersionOrder() throws Exception {
    List<String> disagreements = new ArrayList<>();
    int cases = 0;
    try (MongoClient client = MongoClients.create(MongoTestServer.shared().connectionString())) {
      MongoDatabase database = client.getDatabase("guard");
      database.drop();
      int collection = 0;
      for (String storedVersion : VERSIONS) {
        for (Instant storedTime : INSTANTS) {
          MongoCollection<RawBsonDocument> documents =
              database.getCollection("Stored" + collection++, RawBsonDocument.class);
          // One stored document per incoming case, each with the same stored state.
          List<WriteModel<RawBsonDocument>> inserts = new ArrayList<>();
          List<WriteModel<RawBsonDocument>> upserts = new ArrayList<>();
          List<Boolean> expected = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          for (String incomingVersion : VERSIONS) {
            for (Instant incomingTime : INSTANTS) {
              String id = "c" + ids.size();
              ids.add(id);
              inserts.add(
                  new InsertOneModel<>(
                      StoredLayout.toDocument(withId(event(storedVersion, storedTime, "s"), id))));
              ChangeEvent incoming = withId(event(incomingVersion, incomingTime, "i"), id);
              upserts.add(
                  new ReplaceOneModel<>(
                      VersionGuard.filter(incoming),
                      StoredLayout.toDocument(incoming),
                      new ReplaceOptions().upsert(true)));
              expected.add(
                  VersionOrder.isNewer(incomingVersion, incomingTime, storedVersion, storedTime));
              cases++;
            }
          }
          documents.bulkWrite(inserts);
          try {
            documents.bulkWrite(upserts, new BulkWriteOptions().ordered(false));
          } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
              assertThat(MongoErrors.isStoredSameOrNewer(error)).as(error.toString()).isTrue();
            }
          }
          for (BsonDocument stored :
              documents.withDocumentClass(BsonDocument.class).find().into(new ArrayList<>())) {
            int index = ids.indexOf(stored.getString("_id").getValue());
            boolean replaced =
                stored.getDocument("resource").getString("marker").getValue().equals("i");
            if (replaced != expected.get(index)) {
              disagreements.add(
                  "stored "
                      + storedVersion
                      + "@"
                      + storedTime
                      + ", case "
                      + index
                      + ": server "
                      + (replaced ? "applied" : "kept"));
            }
          }
        }
      }
      database.drop();
    }
    assertThat(cases).isEqualTo((int) Math.pow(VERSIONS.length * INSTANTS.length, 2));
    assertThat(disagreements).isEmpty();
  }

  private static ChangeEvent withId(ChangeEvent event, String id) {
    return ChangeEvent.upsert(
        event.resourceType(), id, event.versionId(), event.lastUpdated(), event.body());
  }
}

package io.fhirstream.store.mongodb;

import static io.fhirstream.store.mongodb.StoredLayout.DELETED;
import static io.fhirstream.store.mongodb.StoredLayout.ID;
import static io.fhirstream.store.mongodb.StoredLayout.LAST_UPDATED_NANOS;
import static io.fhirstream.store.mongodb.StoredLayout.LAST_UPDATED_SECONDS;
import static io.fhirstream.store.mongodb.StoredLayout.VERSION_NUMBER;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.VersionOrder;
import java.time.Instant;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * The filter of a version-guarded upsert: it matches the stored document only when that document is
 * older than the incoming event, exactly as {@link VersionOrder#isNewer} decides:
 *
 * <ol>
 *   <li>both version ids numeric: {@code versionNumber < incoming};
 *   <li>else both have lastUpdated: {@code (lastUpdatedSeconds, lastUpdatedNanos) < incoming};
 *   <li>else no match: what is stored is kept.
 * </ol>
 *
 * When nothing matches, the upsert tries to insert and fails on the {@code _id} that exists: that
 * duplicate-key error means "the store holds the same or a newer version". Values are bound as BSON
 * values, never spliced into the filter's structure, so no id or version can act as an operator.
 */
final class VersionGuard {
  private VersionGuard() {}

  static BsonDocument filter(ChangeEvent incoming) {
    BsonDocument filter = new BsonDocument(ID, new BsonString(incoming.id()));
    BsonArray older = storedOlderThan(incoming.versionId(), incoming.lastUpdated());
    if (older.isEmpty()) {
      // No order can be established: a condition nothing meets ($in of nothing).
      filter.append(DELETED, new BsonDocument("$in", new BsonArray()));
    } else {
      filter.append("$or", older);
    }
    return filter;
  }

  /**
   * The alternatives ({@code $or} branches) under which a stored document is older than a version
   * with this id and lastUpdated; empty when no order can be established. The analytics results use
   * them too, with alternatives of their own added.
   */
  static BsonArray storedOlderThan(String versionId, Instant lastUpdated) {
    Long number = VersionOrder.numeric(versionId);
    BsonArray olderInTime = lastUpdated == null ? null : storedEarlierThan(lastUpdated);
    BsonArray branches = new BsonArray();
    if (number != null) {
      branches.add(new BsonDocument(VERSION_NUMBER, lessThan(new BsonInt64(number))));
      if (olderInTime != null) {
        // Stored version not numeric (null or absent): fall back to time.
        branches.add(new BsonDocument(VERSION_NUMBER, BsonNull.VALUE).append("$or", olderInTime));
      }
    } else if (olderInTime != null) {
      branches.addAll(olderInTime);
    }
    return branches;
  }

  private static BsonArray storedEarlierThan(Instant instant) {
    BsonInt64 seconds = new BsonInt64(instant.getEpochSecond());
    BsonArray branches = new BsonArray();
    branches.add(new BsonDocument(LAST_UPDATED_SECONDS, lessThan(seconds)));
    branches.add(
        new BsonDocument(LAST_UPDATED_SECONDS, seconds)
            .append(LAST_UPDATED_NANOS, lessThan(new BsonInt32(instant.getNano()))));
    return branches;
  }

  private static BsonDocument lessThan(org.bson.BsonValue value) {
    return new BsonDocument("$lt", value);
  }
}

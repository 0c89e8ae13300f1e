package io.fhirstream.store.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketReadException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcernResult;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.WriteConcernError;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.junit.jupiter.api.Test;

/**
 * The classification of driver failures the in-process server cannot produce (no replica set, no
 * throttling, no write concern errors), built as the driver builds them from server replies.
 */
class MongoErrorsTest {
  private static final ServerAddress ADDRESS = new ServerAddress("db.example.net", 27017);
  private static final ConnectionStringRedaction REDACTION =
      ConnectionStringRedaction.of("mongodb://fhir:hunter2@db.example.net/");

  private static MongoCommandException commandError(int code, String name) {
    return new MongoCommandException(
        new BsonDocument("ok", new BsonInt32(0))
            .append("code", new BsonInt32(code))
            .append("codeName", new BsonString(name))
            .append("errmsg", new BsonString("Patient family name Secret rejected")),
        ADDRESS);
  }

  private static RuntimeException translate(MongoException e) {
    return MongoErrors.translate(e, "writing 3 documents to collection Patient", "fhir", REDACTION);
  }

  @Test
  void transientFailuresAreRetriable() {
    MongoException[] transients = {
      new MongoTimeoutException("Timed out while waiting for a server"),
      new MongoSocketReadException("Prematurely reached end of stream", ADDRESS),
      new MongoNotPrimaryException(
          commandError(10107, "NotWritablePrimary").getResponse(), ADDRESS),
      new MongoNodeIsRecoveringException(
          commandError(11600, "InterruptedAtShutdown").getResponse(), ADDRESS),
      new MongoWriteConcernException(
          new WriteConcernError(64, "WriteConcernFailed", "waiting", new BsonDocument()),
          WriteConcernResult.unacknowledged(),
          ADDRESS,
          java.util.Set.of()),
      commandError(16500, "TooManyRequests"),
      commandError(50, "ExceededTimeLimit"),
      commandError(91, "ShutdownInProgress"),
      commandError(189, "PrimarySteppedDown"),
    };
    for (MongoException e : transients) {
      assertThat(translate(e))
          .as(e.getClass().getSimpleName() + " " + e.getCode())
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("database fhir")
          .hasMessageContaining("collection Patient")
          .message()
          .doesNotContain("hunter2", "Secret");
    }
    assertThat(MongoErrors.isTransientCode(16500)).isTrue();
  }

  @Test
  void otherFailuresStopTheSinkWithTheFix() {
    assertThat(translate(commandError(13, "Unauthorized")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("readWrite")
        .message()
        .doesNotContain("Secret");
    assertThat(
            translate(
                new MongoSecurityException(
                    MongoCredential.createCredential("fhir", "admin", "hunter2".toCharArray()),
                    "Exception authenticating")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("credentials")
        .message()
        .doesNotContain("hunter2");
    assertThat(translate(commandError(2, "BadValue")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("error 2 BadValue")
        .message()
        .doesNotContain("Secret");
  }

  @Test
  void duplicateKeyOnIdIsTheGuardAndOnAnotherIndexARefusal() {
    BsonDocument none = new BsonDocument();
    assertThat(
            MongoErrors.isStoredSameOrNewer(
                new BulkWriteError(
                    11000,
                    "E11000 duplicate key error collection: fhir.Patient index: _id_ dup key: {}",
                    none,
                    0)))
        .isTrue();
    // Cosmos DB's wording names no index.
    assertThat(
            MongoErrors.isStoredSameOrNewer(
                new BulkWriteError(
                    11000,
                    "E11000 duplicate key error. Failed _id or unique index constraint.",
                    none,
                    0)))
        .isTrue();
    BulkWriteError otherIndex =
        new BulkWriteError(
            11000,
            "E11000 duplicate key error collection: fhir.Patient index: mrn_1 dup key: {x: 1}",
            none,
            0);
    assertThat(MongoErrors.isStoredSameOrNewer(otherIndex)).isFalse();
    assertThat(MongoErrors.refusalReason(otherIndex))
        .contains("unique index")
        .doesNotContain("x: 1");
    assertThat(MongoErrors.refusalReason(new BulkWriteError(121, "Secret", none, 0)))
        .contains("121", "validator")
        .doesNotContain("Secret");
  }
}

package io.fhirstream.store.mongodb;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import com.mongodb.bulk.BulkWriteError;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.util.Map;
import java.util.Set;

/**
 * Turns the driver's failures into the SPI's three kinds. The runtime owns retries, so whatever a
 * later attempt can get past (no primary, a lost connection, a timeout, an unmet write concern,
 * Cosmos DB's rate limiting) is retriable; a document the server refuses goes to the dead letters;
 * the rest stops the writer. Messages name what failed and where, never a credential, and never a
 * server message that could quote a document.
 */
final class MongoErrors {
  static final int DUPLICATE_KEY = 11000;

  /**
   * Server codes a later attempt gets past: host unreachable/not found, exceeded time limits, write
   * concern failed, network timeout, shutdown, write conflict, no primary or stepped down,
   * interrupted by a replica-set change, and Cosmos DB's 16500 (request rate too large).
   */
  private static final Set<Integer> TRANSIENT_CODES =
      Set.of(
          6, 7, 50, 64, 89, 91, 112, 133, 189, 202, 262, 9001, 10107, 11600, 11602, 13435, 13436,
          16500);

  /** Names of the refusals a user is likely to meet, for dead-letter reasons. */
  private static final Map<Integer, String> REFUSALS =
      Map.of(
          2, "BadValue",
          10334, "BSONObjectTooLarge: the document is too large for this server",
          17419, "the document is too large for this server",
          16, "the request is too large for this server (Cosmos DB's document size limit)",
          121, "DocumentValidationFailure: the collection's validator rejected it",
          17280, "an indexed value is too large to index",
          52, "a field name starts with '$'",
          57, "a field name is not allowed");

  private MongoErrors() {}

  /** Whether a later attempt may succeed. */
  static boolean isTransient(MongoException e) {
    return e instanceof MongoTimeoutException
        || e instanceof MongoSocketException
        || e instanceof MongoNotPrimaryException
        || e instanceof MongoNodeIsRecoveringException
        || e instanceof MongoWriteConcernException
        || e instanceof MongoExecutionTimeoutException
        || e instanceof MongoConnectionPoolClearedException
        || e instanceof MongoServerUnavailableException
        || e.hasErrorLabel("RetryableWriteError")
        || e.hasErrorLabel(MongoException.TRANSIENT_TRANSACTION_ERROR_LABEL)
        || isTransientCode(e.getCode());
  }

  static boolean isTransientCode(int code) {
    return TRANSIENT_CODES.contains(code);
  }

  /**
   * Whether a per-document error is the version guard at work: the filter did not match (the stored
   * document is the same or newer), so the upsert's insert hit the existing {@code _id}. A
   * duplicate on another unique index (one a DBA added) is a real refusal.
   */
  static boolean isStoredSameOrNewer(BulkWriteError error) {
    if (error.getCode() != DUPLICATE_KEY) {
      return false;
    }
    String message = String.valueOf(error.getMessage());
    return !message.contains("index:") || message.contains("index: _id_");
  }

  /** A dead-letter reason for a document the server refused; never quotes the server's text. */
  static String refusalReason(BulkWriteError error) {
    if (error.getCode() == DUPLICATE_KEY) {
      return "MongoDB refused the document: it duplicates a value of a unique index other than"
          + " _id (error 11000); drop or relax that index";
    }
    String known = REFUSALS.get(error.getCode());
    return "MongoDB refused the document (error "
        + error.getCode()
        + (known == null ? "" : ", " + known)
        + ")";
  }

  /** The write concern was not met: the writes may not survive a failover, so do them again. */
  static RetriableException writeConcernFailed(
      MongoBulkWriteException e, String doing, String database) {
    return new RetriableException(
        "MongoDB did not confirm the write concern (error "
            + e.getWriteConcernError().getCode()
            + ") while "
            + doing
            + " in database "
            + database
            + "; the batch will be written again",
        e);
  }

  /**
   * @param doing what was being done, e.g. "writing 1000 documents to collection Patient"
   */
  static RuntimeException translate(
      MongoException e, String doing, String database, ConnectionStringRedaction redaction) {
    String where = " while " + doing + " in MongoDB database " + database;
    if (isTransient(e)) {
      return new RetriableException(
          "MongoDB unavailable or busy ("
              + describe(e, redaction)
              + ")"
              + where
              + "; the batch will be retried. If this persists, check the servers in "
              + MongoStoreConfig.CONNECTION_STRING
              + " are reachable and have a primary, and (Cosmos DB) the collection's RU/s",
          e);
    }
    if (e instanceof MongoSecurityException) {
      return new PipelineException(
          "MongoDB refused the credentials"
              + where
              + "; check the user name, password and authSource in "
              + MongoStoreConfig.CONNECTION_STRING
              + " (or the file named by "
              + MongoStoreConfig.CONNECTION_STRING_FILE
              + ")",
          e);
    }
    if (e.getCode() == 13) {
      return new PipelineException(
          "MongoDB user may not do this (error 13, Unauthorized)"
              + where
              + "; grant the user the readWrite role on database "
              + database,
          e);
    }
    return new PipelineException("MongoDB failed (" + describe(e, redaction) + ")" + where, e);
  }

  /**
   * The exception's type and code; the driver's own message only for client-side failures, whose
   * text describes the connection, never a document (and is redacted anyway).
   */
  private static String describe(MongoException e, ConnectionStringRedaction redaction) {
    if (e instanceof MongoCommandException command) {
      return "error " + command.getErrorCode() + " " + command.getErrorCodeName();
    }
    if (e instanceof MongoServerException) {
      return e.getClass().getSimpleName() + ", error " + e.getCode();
    }
    return e.getClass().getSimpleName() + ": " + redaction.apply(e.getMessage());
  }
}

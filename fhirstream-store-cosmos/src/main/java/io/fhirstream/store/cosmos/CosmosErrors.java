package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosException;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.time.Duration;

/**
 * Turns Cosmos DB's status codes into the SPI's kinds of failure. The runtime owns retries, so what
 * a later attempt gets past (throttling, timeouts, an unreachable or busy service) is retriable;
 * what only a person can fix (credentials, permissions, a deleted container) stops the writer.
 * Messages use the service's short message, never the request, which is signed with the key.
 */
final class CosmosErrors {
  private CosmosErrors() {}

  /** Statuses a later attempt gets past. */
  static boolean isTransient(int status) {
    return status == 0 // no response: connection refused, reset or timed out
        || status == 408 // request timeout
        || status == 410 // gone: a partition moved
        || status == 429 // throttled: the request units are used up for now
        || status == 449 // retry with: a concurrent update inside the service
        || status == 503; // service unavailable
  }

  /** Statuses that refuse one item on its own merits. */
  static boolean refusesTheItem(int status) {
    return status == 400 || status == 413;
  }

  /** Why the service refused one item, for the dead-letter reason. */
  static String refusal(int status, int subStatus) {
    return status == 413
        ? "Cosmos DB refused the item as too large (413; items are limited to 2 MB)"
        : "Cosmos DB refused the item as a bad request (400/" + subStatus + ")";
  }

  /**
   * @param doing what was being done, e.g. "reading 500 stored versions"
   * @param where the database or container, named in every message
   */
  static RuntimeException translate(Throwable e, String doing, String where) {
    String context = " while " + doing + " in Cosmos DB " + where;
    if (!(e instanceof CosmosException cosmos)) {
      return new RetriableException(
          "no answer from Cosmos DB ("
              + e.getClass().getSimpleName()
              + ")"
              + context
              + "; check the endpoint is reachable",
          e);
    }
    return fromStatus(
        cosmos.getStatusCode(),
        cosmos.getSubStatusCode(),
        cosmos.getShortMessage(),
        cosmos.getRetryAfterDuration(),
        context,
        cosmos);
  }

  static RuntimeException fromStatus(
      int status,
      int subStatus,
      String shortMessage,
      Duration retryAfter,
      String context,
      Throwable cause) {
    String code = status + "/" + subStatus;
    if (isTransient(status)) {
      String hint =
          status == 429
              ? "throttled (429): the container's request units are used up"
                  + (retryAfter == null || retryAfter.isZero()
                      ? ""
                      : ", retry after " + retryAfter.toMillis() + " ms")
                  + "; raise its throughput or lower the write rate"
              : "Cosmos DB unavailable (" + code + ")";
      return new RetriableException(hint + context, cause);
    }
    return switch (status) {
      case 401 ->
          new PipelineException(
              "Cosmos DB refused the credentials (401)"
                  + context
                  + "; check "
                  + CosmosStoreConfig.KEY
                  + " (or the Entra ID identity) belongs to "
                  + CosmosStoreConfig.ENDPOINT,
              cause);
      case 403 ->
          new PipelineException(
              "Cosmos DB forbids this (403/"
                  + subStatus
                  + ")"
                  + context
                  + "; with Entra ID give the identity the Cosmos DB Built-in Data Contributor role"
                  + " and create the database and containers beforehand (data-plane roles cannot"
                  + " create them); check the account's firewall",
              cause);
      case 404 ->
          new PipelineException(
              "not found (404/"
                  + subStatus
                  + ")"
                  + context
                  + "; the database or container was deleted while the writer ran: restart it to"
                  + " recreate them, then re-load from the event hub",
              cause);
      default ->
          new PipelineException(
              "Cosmos DB failed (" + code + ": " + shortMessage + ")" + context, cause);
    };
  }
}

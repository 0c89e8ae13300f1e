package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosBulkExecutionOptions;
import com.azure.cosmos.models.CosmosBulkItemRequestOptions;
import com.azure.cosmos.models.CosmosBulkItemResponse;
import com.azure.cosmos.models.CosmosBulkOperationResponse;
import com.azure.cosmos.models.CosmosBulkOperations;
import com.azure.cosmos.models.CosmosItemIdentity;
import com.azure.cosmos.models.CosmosItemOperation;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.RetriableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the newest events of one container with Cosmos DB's own concurrency control: read the
 * stored versions and etags of the batch's ids ({@code readMany}), decide with {@link
 * StoredVersion#decide}, then one bulk call of creates (which fail with 409 if the id appeared
 * meanwhile) and replaces conditional on the etag read (412 if the item changed meanwhile). Ids
 * that lost such a race are read and decided again, a bounded number of rounds; a writer that keeps
 * racing makes the batch retriable rather than looping here.
 */
final class GuardedBulkWrite {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedBulkWrite.class);

  /** Rounds of read-decide-write before contention is reported as retriable. */
  static final int MAX_ROUNDS = 4;

  /** Ids per readMany call; the SDK splits them by partition again. */
  private static final int READ_CHUNK = 500;

  private final CosmosContainer container;
  private final String where;
  private final CosmosBulkExecutionOptions bulkOptions;
  private final DeadLetterReporter deadLetters;

  /** An event with its item, waiting to be applied. */
  private record Pending(ChangeEvent event, ObjectNode item) {
    String id() {
      return event.id();
    }
  }

  GuardedBulkWrite(
      CosmosContainer container,
      String where,
      CosmosBulkExecutionOptions bulkOptions,
      DeadLetterReporter deadLetters) {
    this.container = container;
    this.where = where;
    this.bulkOptions = bulkOptions;
    this.deadLetters = deadLetters;
  }

  /**
   * @param items the newest event per id, with its item
   * @return how many items were written (the others were not newer, or were dead-lettered)
   */
  int apply(Map<ChangeEvent, ObjectNode> items) {
    Map<String, Pending> pending = new LinkedHashMap<>();
    items.forEach((event, item) -> pending.put(event.id(), new Pending(event, item)));
    int written = 0;
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > MAX_ROUNDS) {
        throw new RetriableException(
            pending.size()
                + " items in Cosmos DB "
                + where
                + " changed under every one of "
                + MAX_ROUNDS
                + " conditional writes; another writer is updating the same ids");
      }
      Map<String, StoredVersion> stored = readStored(pending.keySet());
      List<CosmosItemOperation> operations = new ArrayList<>();
      for (Pending item : List.copyOf(pending.values())) {
        StoredVersion current = stored.get(item.id());
        switch (StoredVersion.decide(item.event(), current)) {
          case SKIP -> pending.remove(item.id());
          case CREATE -> operations.add(create(item));
          case REPLACE -> operations.add(replace(item, current.etag()));
        }
      }
      if (operations.isEmpty()) {
        break;
      }
      written += execute(operations, pending);
      if (!pending.isEmpty()) {
        LOG.debug(
            "{} items in {} changed since they were read; reading them again",
            pending.size(),
            where);
      }
    }
    return written;
  }

  private Map<String, StoredVersion> readStored(Iterable<String> ids) {
    List<CosmosItemIdentity> identities = new ArrayList<>();
    ids.forEach(id -> identities.add(new CosmosItemIdentity(new PartitionKey(id), id)));
    Map<String, StoredVersion> stored = new HashMap<>();
    for (int from = 0; from < identities.size(); from += READ_CHUNK) {
      List<CosmosItemIdentity> chunk =
          identities.subList(from, Math.min(identities.size(), from + READ_CHUNK));
      try {
        for (ObjectNode item : container.readMany(chunk, ObjectNode.class).getResults()) {
          stored.put(item.path("id").asText(), DocumentLayout.storedVersion(item));
        }
      } catch (RuntimeException e) {
        throw CosmosErrors.translate(
            e, "reading the stored versions of " + chunk.size() + " ids", where);
      }
    }
    return stored;
  }

  private static CosmosItemOperation create(Pending item) {
    return CosmosBulkOperations.getCreateItemOperation(
        item.item(), new PartitionKey(item.id()), item);
  }

  private static CosmosItemOperation replace(Pending item, String etag) {
    return CosmosBulkOperations.getReplaceItemOperation(
        item.id(),
        item.item(),
        new PartitionKey(item.id()),
        new CosmosBulkItemRequestOptions().setIfMatchETag(etag),
        item);
  }

  /**
   * Runs one bulk call. Every response is looked at before a failure is thrown, so what did apply
   * is known (and re-applying it is harmless: the guard skips it).
   */
  private int execute(List<CosmosItemOperation> operations, Map<String, Pending> pending) {
    int written = 0;
    RuntimeException failure = null;
    try {
      for (CosmosBulkOperationResponse<Object> response :
          container.executeBulkOperations(operations, bulkOptions)) {
        Pending item = response.getOperation().getContext();
        CosmosBulkItemResponse result = response.getResponse();
        if (response.getException() != null || result == null) {
          failure =
              first(
                  failure,
                  response.getException() == null
                      ? new RetriableException(
                          "a bulk operation got no response from Cosmos DB " + where)
                      : CosmosErrors.translate(response.getException(), "writing", where));
          continue;
        }
        int status = result.getStatusCode();
        if (result.isSuccessStatusCode()) {
          pending.remove(item.id());
          written++;
        } else if (status == 409 || status == 412 || status == 404) {
          // Created, changed or removed by someone else since the read: read and decide again.
          continue;
        } else if (CosmosErrors.refusesTheItem(status)) {
          pending.remove(item.id());
          deadLetters.report(item.event(), CosmosErrors.refusal(status, result.getSubStatusCode()));
        } else {
          failure =
              first(
                  failure,
                  CosmosErrors.fromStatus(
                      status,
                      result.getSubStatusCode(),
                      "bulk item failed",
                      result.getRetryAfterDuration(),
                      " while writing in Cosmos DB " + where,
                      null));
        }
      }
    } catch (RuntimeException e) {
      failure = first(failure, CosmosErrors.translate(e, "writing", where));
    }
    if (failure != null) {
      throw failure;
    }
    return written;
  }

  private static RuntimeException first(RuntimeException kept, RuntimeException next) {
    return kept != null ? kept : next;
  }
}

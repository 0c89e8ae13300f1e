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
import io.fhirstream.api.RetriableException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Writes items under Cosmos DB's own concurrency control, as {@link GuardedBulkWrite} does the
 * documents: read what is stored ({@code readMany}), let the caller decide per item what to write
 * given it, then one bulk call of creates (409 if the item appeared meanwhile) and replaces
 * conditional on the etag read (412 if it changed meanwhile); items that lost such a race are read
 * and decided again, a bounded number of rounds. Also runs plain bulk calls, so that every answer
 * is looked at before a failure is thrown.
 */
final class ConditionalItems {
  static final int MAX_ROUNDS = GuardedBulkWrite.MAX_ROUNDS;
  private static final int READ_CHUNK = 500;

  private final CosmosContainer container;
  private final String partitionKeyProperty;
  private final String where;
  private final CosmosBulkExecutionOptions bulkOptions;

  /** One item to write: where it is ({@code id}, partition key value). */
  record Target(String id, String partitionKey) {
    CosmosItemIdentity identity() {
      return new CosmosItemIdentity(new PartitionKey(partitionKey), id);
    }
  }

  /**
   * @param partitionKeyProperty the property the container is partitioned by, e.g. {@code id}
   */
  ConditionalItems(
      CosmosContainer container,
      String partitionKeyProperty,
      String where,
      CosmosBulkExecutionOptions options) {
    this.container = container;
    this.partitionKeyProperty = partitionKeyProperty;
    this.where = where;
    this.bulkOptions = options;
  }

  /**
   * @param decide given a target and its stored item (null when none), the item to write, or null
   *     to leave it
   * @return the etag each written item got, by target
   */
  Map<Target, String> apply(
      List<Target> targets, BiFunction<Target, ObjectNode, ObjectNode> decide) {
    Map<Target, String> written = new HashMap<>();
    List<Target> pending = new ArrayList<>(targets);
    for (int round = 1; !pending.isEmpty(); round++) {
      if (round > MAX_ROUNDS) {
        throw new RetriableException(
            pending.size()
                + " items in Cosmos DB "
                + where
                + " changed under every one of "
                + MAX_ROUNDS
                + " conditional writes; another writer is updating the same items");
      }
      Map<Target, ObjectNode> stored = read(pending);
      List<CosmosItemOperation> operations = new ArrayList<>();
      for (Target target : pending) {
        ObjectNode current = stored.get(target);
        ObjectNode item = decide.apply(target, current);
        if (item == null) {
          continue;
        }
        PartitionKey key = new PartitionKey(target.partitionKey());
        operations.add(
            current == null
                ? CosmosBulkOperations.getCreateItemOperation(item, key, target)
                : CosmosBulkOperations.getReplaceItemOperation(
                    target.id(),
                    item,
                    key,
                    new CosmosBulkItemRequestOptions()
                        .setIfMatchETag(current.path("_etag").asText()),
                    target));
      }
      Map<Target, String> done = execute(operations, true);
      written.putAll(done);
      List<Target> again = new ArrayList<>();
      for (CosmosItemOperation operation : operations) {
        Target target = operation.getContext();
        if (!done.containsKey(target)) {
          again.add(target);
        }
      }
      pending = again;
    }
    return written;
  }

  /** The stored items of the targets; absent ones are left out. */
  Map<Target, ObjectNode> read(List<Target> targets) {
    Map<String, Target> byIdentity = new HashMap<>();
    List<CosmosItemIdentity> identities = new ArrayList<>(targets.size());
    for (Target target : targets) {
      byIdentity.put(target.partitionKey() + '\u0000' + target.id(), target);
      identities.add(target.identity());
    }
    Map<Target, ObjectNode> stored = new LinkedHashMap<>();
    for (int from = 0; from < identities.size(); from += READ_CHUNK) {
      List<CosmosItemIdentity> chunk =
          identities.subList(from, Math.min(identities.size(), from + READ_CHUNK));
      try {
        for (ObjectNode item : container.readMany(chunk, ObjectNode.class).getResults()) {
          Target target =
              byIdentity.get(
                  item.path(partitionKeyProperty).asText() + '\u0000' + item.path("id").asText());
          if (target != null) {
            stored.put(target, item);
          }
        }
      } catch (RuntimeException e) {
        throw CosmosErrors.translate(e, "reading " + chunk.size() + " stored items", where);
      }
    }
    return stored;
  }

  /**
   * Runs one bulk call and looks at every answer before a failure is thrown.
   *
   * @param racesExpected whether 409, 412 and 404 are races to decide again (else 404 of a delete
   *     is fine, and a 412 means another writer moved on: nothing to do either)
   * @return the etag of each operation that succeeded, by its target
   */
  Map<Target, String> execute(List<CosmosItemOperation> operations, boolean racesExpected) {
    Map<Target, String> done = new HashMap<>();
    if (operations.isEmpty()) {
      return done;
    }
    RuntimeException failure = null;
    try {
      for (CosmosBulkOperationResponse<Object> response :
          container.executeBulkOperations(operations, bulkOptions)) {
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
          done.put(response.getOperation().<Target>getContext(), result.getETag());
        } else if (status == 409 || status == 412 || status == 404) {
          if (!racesExpected) {
            done.put(response.getOperation().<Target>getContext(), null);
          }
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
    return done;
  }

  private static RuntimeException first(RuntimeException kept, RuntimeException next) {
    return kept != null ? kept : next;
  }
}

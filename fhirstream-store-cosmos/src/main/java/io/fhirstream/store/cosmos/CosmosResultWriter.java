package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.models.CosmosBulkExecutionOptions;
import com.azure.cosmos.models.CosmosBulkItemRequestOptions;
import com.azure.cosmos.models.CosmosBulkOperations;
import com.azure.cosmos.models.CosmosItemOperation;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.results.ResultBatch;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultWriter;
import io.fhirstream.api.results.SourceVersion;
import io.fhirstream.api.results.ViewTable;
import io.fhirstream.api.store.WriterContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the analytics role's results into Cosmos DB ({@link ResultItems}, {@link
 * ResultContainers}): a container per view, an item per row.
 *
 * <p>Cosmos DB has no transaction across partitions, so {@link #flush} replaces a chunk of
 * resources' rows in three bulk calls, each safe to repeat, with the resource's version item as
 * both the guard and the record of work in progress:
 *
 * <ol>
 *   <li>the version items are written under Cosmos DB's concurrency control ({@link
 *       ConditionalItems}: read, decide, create or replace if the etag is still the one read) with
 *       {@code pending: true} and {@code rows}, the most rows any version may have left: only when
 *       the incoming version is newer than the stored one, or is the very same one still pending (a
 *       replacement an outage interrupted, finished by the re-delivery);
 *   <li>the accepted resources' rows are upserted and their rows from the new count up to that
 *       bound deleted;
 *   <li>their version items get {@code pending: false} and the exact row count, if the etag is
 *       still the one step 1 wrote.
 * </ol>
 *
 * A reader may see a resource's rows half replaced while its version is pending; after a flush
 * returns, none is. Aggregate results are created or replaced under the same concurrency control
 * when their version is higher than the stored one.
 */
public final class CosmosResultWriter implements ResultWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CosmosResultWriter.class);

  /** Resources, or aggregate ids, per round of read, decide and write. */
  private static final int CHUNK = 500;

  private final CosmosStoreConfig config;
  private final Map<String, ViewTable> views = new HashMap<>();
  private final ResultBatch pending = new ResultBatch();
  private CosmosClient client;
  private ResultContainers containers;
  private CosmosBulkExecutionOptions bulkOptions;

  public CosmosResultWriter(CosmosStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Connects, creates the database and the shared containers if missing. */
  @Override
  public void open(WriterContext context) {
    if (client != null) {
      throw new IllegalStateException("the result writer is already open");
    }
    bulkOptions = new CosmosBulkExecutionOptions().setMaxMicroBatchSize(config.batchSize());
    client = CosmosClients.connect(config);
    try {
      containers = ResultContainers.open(client, config);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "Cosmos DB store {} database {} open for analytics results",
        config.endpoint(),
        config.database());
  }

  @Override
  public void defineView(ViewTable view) {
    requireOpen();
    containers.define(view);
    views.put(view.name(), view);
  }

  @Override
  public void replaceRows(String view, SourceVersion version, List<List<Object>> rows) {
    requireOpen();
    ViewTable table = views.get(view);
    if (table == null) {
      throw new IllegalArgumentException("view " + view + " was not defined with defineView");
    }
    rows.forEach(table::requireRow);
    pending.addRows(view, version, rows);
  }

  @Override
  public void putResult(String aggregate, String id, long version, byte[] document) {
    requireOpen();
    ResultNames.requireAggregateName(aggregate);
    pending.addResult(aggregate, id, version, document);
  }

  /** Writes what was kept since the last flush; Cosmos DB acknowledges each write as durable. */
  @Override
  public void flush() {
    requireOpen();
    try {
      for (Map.Entry<String, List<ResultBatch.Rows>> view : pending.rowsByView().entrySet()) {
        List<ResultBatch.Rows> resources = view.getValue();
        for (int from = 0; from < resources.size(); from += CHUNK) {
          replaceRows(
              views.get(view.getKey()),
              resources.subList(from, Math.min(resources.size(), from + CHUNK)));
        }
      }
      for (List<ResultBatch.Result> results : pending.resultsByAggregate().values()) {
        for (int from = 0; from < results.size(); from += CHUNK) {
          putResults(results.subList(from, Math.min(results.size(), from + CHUNK)));
        }
      }
    } finally {
      // Written, or to be re-delivered by the runtime: no longer ours to keep.
      pending.clear();
    }
  }

  private void replaceRows(ViewTable view, List<ResultBatch.Rows> resources) {
    String name = view.name();
    Map<ConditionalItems.Target, ResultBatch.Rows> byTarget = new HashMap<>();
    for (ResultBatch.Rows resource : resources) {
      String id = ResultItems.versionItemId(name, resource.version().resourceKey());
      byTarget.put(new ConditionalItems.Target(id, id), resource);
    }
    Map<ConditionalItems.Target, Integer> bounds = new HashMap<>();
    ConditionalItems versions =
        new ConditionalItems(
            containers.container(ResultNames.VIEW_VERSIONS),
            "id",
            containers.where(ResultNames.VIEW_VERSIONS),
            bulkOptions);
    Map<ConditionalItems.Target, String> accepted =
        versions.apply(
            new ArrayList<>(byTarget.keySet()),
            (target, stored) -> {
              ResultBatch.Rows incoming = byTarget.get(target);
              if (stored != null && !replaces(incoming.version(), stored)) {
                return null;
              }
              int bound =
                  Math.max(
                      stored == null ? 0 : stored.path("rows").asInt(0), incoming.rows().size());
              bounds.put(target, bound);
              return ResultItems.version(name, incoming.version(), true, bound);
            });
    if (accepted.isEmpty()) {
      return;
    }
    List<CosmosItemOperation> rows = new ArrayList<>();
    List<CosmosItemOperation> done = new ArrayList<>();
    for (Map.Entry<ConditionalItems.Target, String> version : accepted.entrySet()) {
      ConditionalItems.Target target = version.getKey();
      ResultBatch.Rows resource = byTarget.get(target);
      String key = resource.version().resourceKey();
      PartitionKey partition = new PartitionKey(key);
      int count = resource.rows().size();
      for (int row = 0; row < count; row++) {
        rows.add(
            CosmosBulkOperations.getUpsertItemOperation(
                ResultItems.row(view, key, row, resource.rows().get(row)), partition, target));
      }
      for (int row = count; row < bounds.get(target); row++) {
        rows.add(
            CosmosBulkOperations.getDeleteItemOperation(
                ResultItems.rowId(key, row), partition, target));
      }
      done.add(
          CosmosBulkOperations.getReplaceItemOperation(
              target.id(),
              ResultItems.version(name, resource.version(), false, count),
              new PartitionKey(target.partitionKey()),
              new CosmosBulkItemRequestOptions().setIfMatchETag(version.getValue()),
              target));
    }
    new ConditionalItems(
            containers.container(name),
            ResultContainers.VIEW_KEY.substring(1),
            containers.where(name),
            bulkOptions)
        .execute(rows, false);
    // A 412 here: another writer took the resource over since step 1, and finishes it.
    versions.execute(done, false);
  }

  /** Whether rows made from {@code incoming} replace those the stored version item stands for. */
  private static boolean replaces(SourceVersion incoming, ObjectNode stored) {
    SourceVersion held = ResultItems.storedVersion(stored);
    boolean interrupted = stored.path("pending").asBoolean(false);
    return incoming.isNewerThan(held) || (interrupted && incoming.isSameVersionAs(held));
  }

  private void putResults(List<ResultBatch.Result> results) {
    Map<ConditionalItems.Target, ResultBatch.Result> byTarget = new HashMap<>();
    for (ResultBatch.Result result : results) {
      String id = ResultItems.resultId(result.aggregate(), result.id());
      byTarget.put(new ConditionalItems.Target(id, id), result);
    }
    new ConditionalItems(
            containers.container(ResultNames.AGGREGATE_RESULTS),
            "id",
            containers.where(ResultNames.AGGREGATE_RESULTS),
            bulkOptions)
        .apply(
            new ArrayList<>(byTarget.keySet()),
            (target, stored) -> {
              ResultBatch.Result result = byTarget.get(target);
              if (stored != null && result.version() <= stored.path("version").asLong()) {
                return null;
              }
              return ResultItems.result(
                  result.aggregate(), result.id(), result.version(), result.document());
            });
  }

  /** Drops what was not flushed (the runtime re-delivers it) and closes the client. */
  @Override
  public void close() {
    if (!pending.isEmpty()) {
      LOG.info("closing with {} results not flushed; they will be re-delivered", pending.size());
      pending.clear();
    }
    if (client != null) {
      try {
        client.close();
      } finally {
        client = null;
        containers = null;
      }
    }
  }

  private void requireOpen() {
    if (client == null) {
      throw new IllegalStateException("open the result writer first");
    }
  }
}

package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.models.CosmosBulkExecutionOptions;
import com.azure.cosmos.models.CosmosBulkOperationResponse;
import com.azure.cosmos.models.CosmosBulkOperations;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemOperation;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's ceiling: how fast the raw SDK takes the same events with no version guard, as
 * bulk upserts in batches of {@link CosmosStoreConfig#batchSize()} operations per bulk call, into a
 * scratch container it creates and deletes. The writer's own rate divided by this is the cost of
 * the guard (one read per id, conditional writes).
 */
public final class CosmosDriverCeiling {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CosmosDriverCeiling() {}

  /**
   * @return documents per second, bodies parsed beforehand (the SDK needs a tree either way)
   */
  public static double upsertsPerSecond(CosmosStoreConfig config, List<ChangeEvent> events) {
    List<CosmosItemOperation> operations = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      operations.add(
          CosmosBulkOperations.getUpsertItemOperation(item(event), new PartitionKey(event.id())));
    }
    try (CosmosClient client = CosmosClients.connect(config)) {
      client.createDatabaseIfNotExists(config.database());
      CosmosDatabase database = client.getDatabase(config.database());
      String name = "fhirstream-ceiling-" + System.nanoTime();
      database.createContainer(new CosmosContainerProperties(name, "/id"));
      CosmosContainer container = database.getContainer(name);
      try {
        CosmosBulkExecutionOptions options =
            new CosmosBulkExecutionOptions().setMaxMicroBatchSize(config.batchSize());
        long start = System.nanoTime();
        for (int from = 0; from < operations.size(); from += config.batchSize()) {
          List<CosmosItemOperation> batch =
              operations.subList(from, Math.min(operations.size(), from + config.batchSize()));
          for (CosmosBulkOperationResponse<Object> response :
              container.executeBulkOperations(batch, options)) {
            if (response.getResponse() == null || !response.getResponse().isSuccessStatusCode()) {
              throw new PipelineException(
                  "bulk upsert failed: "
                      + (response.getResponse() == null
                          ? response.getException()
                          : response.getResponse().getStatusCode()));
            }
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return events.size() / Math.max(seconds, 1e-9);
      } finally {
        container.delete();
      }
    }
  }

  private static ObjectNode item(ChangeEvent event) {
    if (event.deleted()) {
      return JSON.createObjectNode().put("id", event.id());
    }
    try {
      return (ObjectNode) JSON.readTree(event.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.models.CosmosBulkExecutionOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.Batches;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.DeadLetterReporter;
import io.fhirstream.api.store.DocumentWriter;
import io.fhirstream.api.store.WriterContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events into Azure Cosmos DB (NoSQL API), one container per resource type, each item
 * the FHIR resource plus the fields {@link DocumentLayout} describes.
 *
 * <p>Every write is version-guarded with Cosmos DB's own concurrency control ({@link
 * GuardedBulkWrite}): an item is created only if absent and replaced only under the etag of the
 * older version just read, so neither arrival order nor a concurrent writer can put an older
 * version over a newer one. Cosmos DB acknowledges a write once it is durable, so {@link #write}
 * applies the batch before returning and {@link #flush} has nothing left to do.
 */
public final class CosmosDocumentWriter implements DocumentWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CosmosDocumentWriter.class);

  private final CosmosStoreConfig config;
  private final DocumentLayout layout;
  private CosmosClient client;
  private ResourceContainers containers;
  private DeadLetterReporter deadLetters;
  private CosmosBulkExecutionOptions bulkOptions;

  /** A writer for the given settings; nothing is opened until {@link #open}. */
  public CosmosDocumentWriter(CosmosStoreConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.layout = new DocumentLayout(config.partitionKeyProperty(), config.tombstoneTtl());
  }

  public CosmosStoreConfig config() {
    return config;
  }

  /** Connects and creates the database if missing; containers are created on first use. */
  @Override
  public void open(WriterContext context) {
    if (client != null) {
      throw new IllegalStateException("the writer is already open");
    }
    deadLetters = Objects.requireNonNull(context.deadLetters(), "context.deadLetters()");
    bulkOptions = new CosmosBulkExecutionOptions().setMaxMicroBatchSize(config.batchSize());
    client = CosmosClients.connect(config);
    try {
      containers = ResourceContainers.open(client, config);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info(
        "Cosmos DB store {} database {} open ({} mode)",
        config.endpoint(),
        config.database(),
        config.mode());
  }

  /**
   * Applies the newest event per resource of the batch. An event whose type cannot name a
   * container, whose body is not a JSON object with its id, or that is too large for Cosmos DB goes
   * to the dead letters.
   */
  @Override
  public void write(List<ChangeEvent> batch) {
    if (client == null) {
      throw new IllegalStateException("open the writer before writing");
    }
    if (batch.isEmpty()) {
      return;
    }
    Map<String, Map<ChangeEvent, ObjectNode>> byType = new LinkedHashMap<>();
    for (ChangeEvent event : Batches.newestPerResource(batch)) {
      try {
        ObjectNode item = layout.item(event);
        byType.computeIfAbsent(event.resourceType(), t -> new LinkedHashMap<>()).put(event, item);
      } catch (BadEventException e) {
        refuse(event, e.getMessage());
      }
    }
    int written = 0;
    for (Map.Entry<String, Map<ChangeEvent, ObjectNode>> type : byType.entrySet()) {
      CosmosContainer container;
      try {
        container = containers.forType(type.getKey());
      } catch (BadEventException e) {
        type.getValue().keySet().forEach(event -> refuse(event, e.getMessage()));
        continue;
      }
      String where = containers.where(container.getId());
      written +=
          new GuardedBulkWrite(container, where, bulkOptions, deadLetters).apply(type.getValue());
    }
    LOG.debug("wrote {} items for a batch of {} events", written, batch.size());
  }

  /** Nothing to do: Cosmos DB acknowledged every write of {@link #write} as durable. */
  @Override
  public void flush() {
    if (client == null) {
      throw new IllegalStateException("open the writer before flushing");
    }
  }

  @Override
  public void close() {
    if (client != null) {
      try {
        client.close();
      } finally {
        client = null;
        containers = null;
      }
    }
  }

  private void refuse(ChangeEvent event, String reason) {
    LOG.debug("dead-lettering {}: {}", event, reason);
    deadLetters.report(event, reason);
  }
}

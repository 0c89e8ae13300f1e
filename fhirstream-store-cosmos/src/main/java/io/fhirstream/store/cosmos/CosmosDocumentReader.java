package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemIdentity;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads a Cosmos DB store ({@link DocumentLayout}'s items) with a client of its own. Resources come
 * back as the JSON that was written ({@link StoredItems}); key order and whitespace are not kept.
 *
 * <p>A scan first queries the ids and versions of a container (the resource projected away), sorts
 * them as Java does, and, with bodies, then reads the items in that order with {@code readMany}, a
 * chunk at a time: so no more than one chunk of bodies is held, and the order never depends on how
 * Cosmos DB collates strings or on a container's indexing policy. Counts are {@code COUNT} queries.
 *
 * <p>Consistency is the configured level: with the default, session, a client of its own carries no
 * session token of the writer's and may read a replica a moment behind the last write. Not
 * thread-safe.
 */
public final class CosmosDocumentReader implements DocumentReader {
  /** Ids per {@code readMany} while scanning with bodies: up to 100 items of at most 2 MB. */
  static final int READ_CHUNK = 100;

  private static final String DELETED = "c._fhirstream.deleted = true";

  private final CosmosStoreConfig config;
  private final CosmosClient client;
  private final CosmosDatabase database;

  private CosmosDocumentReader(CosmosStoreConfig config, CosmosClient client) {
    this.config = config;
    this.client = client;
    this.database = client.getDatabase(config.database());
  }

  /**
   * Connects and checks that the database exists.
   *
   * @throws PipelineException naming the database when it does not exist, or the fix when the
   *     credentials are refused; a {@link io.fhirstream.api.RetriableException} when the account
   *     cannot be reached
   */
  public static CosmosDocumentReader open(CosmosStoreConfig config) {
    CosmosDocumentReader reader = new CosmosDocumentReader(config, CosmosClients.connect(config));
    try {
      reader.database.read();
    } catch (CosmosException e) {
      reader.close();
      if (e.getStatusCode() == 404) {
        throw new PipelineException(
            "Cosmos DB database "
                + config.database()
                + " does not exist at "
                + config.endpoint()
                + ": nothing has been written there yet; check "
                + CosmosStoreConfig.DATABASE
                + " and "
                + CosmosStoreConfig.ENDPOINT);
      }
      throw CosmosErrors.translate(e, "opening the store", config.database());
    } catch (RuntimeException e) {
      reader.close();
      throw CosmosErrors.translate(e, "opening the store", config.database());
    }
    return reader;
  }

  /** The containers named prefix + type with the configured partition key, by type. */
  @Override
  public List<String> resourceTypes() {
    List<CosmosContainerProperties> containers =
        query(
            "listing the containers",
            config.database(),
            () -> database.readAllContainers().stream().toList(),
            null);
    List<String> types = new ArrayList<>();
    for (CosmosContainerProperties container : containers) {
      String name = container.getId();
      String type = name.substring(Math.min(name.length(), config.containerPrefix().length()));
      if (name.startsWith(config.containerPrefix())
          && ResourceContainers.isResourceType(type)
          && List.of(config.partitionKeyPath())
              .equals(container.getPartitionKeyDefinition().getPaths())) {
        types.add(type);
      }
    }
    types.sort(null);
    return types;
  }

  @Override
  public Optional<StoredDocument> read(String resourceType, String id) {
    if (!ResourceContainers.isResourceType(resourceType)) {
      return Optional.empty();
    }
    String container = config.containerName(resourceType);
    // Not found: no such item, or no container; either way the store never held the resource.
    Optional<ObjectNode> item =
        query(
            "reading " + resourceType + "/" + id,
            where(container),
            () ->
                Optional.of(
                    database
                        .getContainer(container)
                        .readItem(id, new PartitionKey(id), ObjectNode.class)
                        .getItem()),
            Optional.empty());
    return item.map(found -> document(resourceType, found));
  }

  @Override
  public void scan(String resourceType, boolean withBodies, Consumer<StoredDocument> visitor) {
    if (!ResourceContainers.isResourceType(resourceType)) {
      return;
    }
    List<StoredDocument> versions = versions(resourceType);
    if (!withBodies) {
      versions.forEach(visitor);
      return;
    }
    for (int from = 0; from < versions.size(); from += READ_CHUNK) {
      List<StoredDocument> chunk =
          versions.subList(from, Math.min(versions.size(), from + READ_CHUNK));
      Map<String, StoredDocument> read = readMany(resourceType, chunk);
      for (StoredDocument version : chunk) {
        // Absent only if removed since the ids were read (a tombstone's ttl ran out).
        StoredDocument document = read.get(version.id());
        if (document != null) {
          visitor.accept(document);
        }
      }
    }
  }

  @Override
  public long count(String resourceType) {
    return count(resourceType, "NOT IS_DEFINED(c._fhirstream.deleted) OR NOT (" + DELETED + ")");
  }

  @Override
  public long countDeleted(String resourceType) {
    return count(resourceType, DELETED);
  }

  /** Sums whatever values come back: one from Azure, which aggregates; one per range otherwise. */
  private long count(String resourceType, String condition) {
    if (!ResourceContainers.isResourceType(resourceType)) {
      return 0;
    }
    String container = config.containerName(resourceType);
    List<Long> parts =
        query(
            "counting " + resourceType,
            where(container),
            () ->
                database
                    .getContainer(container)
                    .queryItems(
                        "SELECT VALUE COUNT(1) FROM c WHERE " + condition,
                        new CosmosQueryRequestOptions(),
                        Long.class)
                    .stream()
                    .toList(),
            List.of());
    return parts.stream().mapToLong(Long::longValue).sum();
  }

  /** Ids and versions of every item of a type, resources left on the server, sorted by id. */
  private List<StoredDocument> versions(String resourceType) {
    String container = config.containerName(resourceType);
    List<ObjectNode> rows =
        query(
            "reading the versions of every " + resourceType,
            where(container),
            () ->
                database
                    .getContainer(container)
                    .queryItems(
                        "SELECT " + StoredItems.VERSION_FIELDS + " FROM c",
                        new CosmosQueryRequestOptions(),
                        ObjectNode.class)
                    .stream()
                    .toList(),
            List.of());
    List<StoredDocument> versions = new ArrayList<>(rows.size());
    rows.forEach(row -> versions.add(StoredItems.versionOnly(resourceType, row)));
    versions.sort(Comparator.comparing(StoredDocument::id));
    return versions;
  }

  private Map<String, StoredDocument> readMany(String resourceType, List<StoredDocument> chunk) {
    String container = config.containerName(resourceType);
    List<CosmosItemIdentity> identities = new ArrayList<>(chunk.size());
    chunk.forEach(
        version ->
            identities.add(new CosmosItemIdentity(new PartitionKey(version.id()), version.id())));
    List<ObjectNode> items =
        query(
            "reading " + chunk.size() + " " + resourceType + " items",
            where(container),
            () ->
                database
                    .getContainer(container)
                    .readMany(identities, ObjectNode.class)
                    .getResults(),
            List.of());
    Map<String, StoredDocument> read = new HashMap<>();
    for (ObjectNode item : items) {
      StoredDocument document = document(resourceType, item);
      read.put(document.id(), document);
    }
    return read;
  }

  private StoredDocument document(String resourceType, ObjectNode item) {
    return StoredItems.document(resourceType, item, config.partitionKeyProperty());
  }

  /**
   * Runs a request, translating its failure. Not found (404) is {@code ifNotFound}: a container
   * that does not exist holds nothing; null lets it fail like any other answer.
   */
  private static <T> T query(String doing, String where, Supplier<T> request, T ifNotFound) {
    try {
      return request.get();
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404 && ifNotFound != null) {
        return ifNotFound;
      }
      throw CosmosErrors.translate(e, doing, where);
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, doing, where);
    }
  }

  private String where(String container) {
    return config.database() + "/" + container;
  }

  @Override
  public void close() {
    client.close();
  }
}

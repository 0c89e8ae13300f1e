package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import io.fhirstream.api.BadEventException;
import io.fhirstream.api.PipelineException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The database and its containers, one per resource type, created when missing with the configured
 * partition key; an existing container with another partition key stops the writer.
 */
final class ResourceContainers {
  private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");

  private final CosmosStoreConfig config;
  private final CosmosDatabase database;
  private final Map<String, CosmosContainer> containers = new HashMap<>();

  private ResourceContainers(CosmosStoreConfig config, CosmosDatabase database) {
    this.config = config;
    this.database = database;
  }

  /** Whether {@code resourceType} can name a container: {@code [A-Z][A-Za-z]{0,63}}. */
  static boolean isResourceType(String resourceType) {
    return resourceType != null && RESOURCE_TYPE.matcher(resourceType).matches();
  }

  /** Opens the database, creating it when missing. */
  static ResourceContainers open(CosmosClient client, CosmosStoreConfig config) {
    try {
      client.createDatabaseIfNotExists(config.database());
    } catch (CosmosException e) {
      // 409: another writer instance created it between the SDK's read and its create.
      if (e.getStatusCode() != 409) {
        throw CosmosErrors.translate(e, "creating the database if missing", config.database());
      }
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, "creating the database if missing", config.database());
    }
    return new ResourceContainers(config, client.getDatabase(config.database()));
  }

  /**
   * The container for a resource type, created when missing.
   *
   * @throws BadEventException when the type cannot name a container
   */
  CosmosContainer forType(String resourceType) throws BadEventException {
    CosmosContainer container = containers.get(resourceType);
    if (container != null) {
      return container;
    }
    if (!isResourceType(resourceType)) {
      throw new BadEventException(
          "resourceType is not a FHIR resource type name ([A-Z][A-Za-z]{0,63})");
    }
    String name = config.containerName(resourceType);
    CosmosContainerProperties wanted =
        new CosmosContainerProperties(name, config.partitionKeyPath());
    if (!config.tombstoneTtl().isZero()) {
      // -1: items live forever unless they carry their own ttl, as tombstones do.
      wanted.setDefaultTimeToLiveInSeconds(-1);
    }
    CosmosContainerProperties properties;
    try {
      properties = createIfMissing(wanted);
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, "creating the container if missing", where(name));
    }
    List<String> paths = properties.getPartitionKeyDefinition().getPaths();
    if (!List.of(config.partitionKeyPath()).equals(paths)) {
      throw new PipelineException(
          "container "
              + where(name)
              + " is partitioned by "
              + paths
              + ", not "
              + config.partitionKeyPath()
              + "; set "
              + CosmosStoreConfig.PARTITION_KEY_PATH
              + " to match, or use another "
              + CosmosStoreConfig.DATABASE
              + " or "
              + CosmosStoreConfig.CONTAINER_PREFIX);
    }
    container = database.getContainer(name);
    containers.put(resourceType, container);
    return container;
  }

  private CosmosContainerProperties createIfMissing(CosmosContainerProperties wanted) {
    try {
      return database.createContainerIfNotExists(wanted).getProperties();
    } catch (CosmosException e) {
      if (e.getStatusCode() != 409) {
        throw e;
      }
      // Another writer instance created it between the SDK's read and its create.
      return database.getContainer(wanted.getId()).read().getProperties();
    }
  }

  /** {@code database/container}, for messages. */
  String where(String containerName) {
    return config.database() + "/" + containerName;
  }
}

package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosDatabase;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ViewTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The containers of the analytics results, named with the store's container prefix: one per view
 * (partitioned by {@code /_resource_key}, so a resource's rows share a logical partition), {@value
 * ResultNames#VIEW_VERSIONS}, {@value ResultNames#VIEW_DEFINITIONS} and {@value
 * ResultNames#AGGREGATE_RESULTS} (by {@code /id}, which {@code readMany} reads with one query).
 * Created when missing; an existing one with another partition key stops the role.
 */
final class ResultContainers {
  static final String VIEW_KEY = "/" + ResultItems.RESOURCE_KEY;
  static final String ID_KEY = "/id";

  private final CosmosStoreConfig config;
  private final CosmosDatabase database;

  private ResultContainers(CosmosStoreConfig config, CosmosDatabase database) {
    this.config = config;
    this.database = database;
  }

  /** Opens the database (created when missing, as for documents) and the shared containers. */
  static ResultContainers open(CosmosClient client, CosmosStoreConfig config) {
    ResourceContainers.open(client, config);
    ResultContainers containers =
        new ResultContainers(config, client.getDatabase(config.database()));
    containers.createIfMissing(ResultNames.VIEW_VERSIONS, ID_KEY);
    containers.createIfMissing(ResultNames.VIEW_DEFINITIONS, ID_KEY);
    containers.createIfMissing(ResultNames.AGGREGATE_RESULTS, ID_KEY);
    return containers;
  }

  /** The containers of an existing database, for reading: nothing is created. */
  static ResultContainers reading(CosmosClient client, CosmosStoreConfig config) {
    return new ResultContainers(config, client.getDatabase(config.database()));
  }

  CosmosContainer container(String name) {
    return database.getContainer(config.containerName(name));
  }

  /** {@code database/container}, for messages. */
  String where(String name) {
    return config.database() + "/" + config.containerName(name);
  }

  /**
   * Creates the view's container when missing (then forgetting the versions of rows it no longer
   * has), and records its columns in {@value ResultNames#VIEW_DEFINITIONS}.
   *
   * @throws PipelineException for a name the store cannot give the container, a container of that
   *     name partitioned otherwise, or a column whose type changed
   */
  void define(ViewTable view) {
    ResultNames.requireUsableViewName(view.name());
    boolean created = createIfMissing(view.name(), VIEW_KEY);
    Map<String, String> columns = new LinkedHashMap<>();
    if (created) {
      forgetVersions(view.name());
    } else {
      columns.putAll(recordedColumns(view.name()));
    }
    for (ViewTable.Column column : view.columns()) {
      String wanted = ResultItems.storedType(column.type());
      String stored = columns.putIfAbsent(column.name(), wanted);
      if (stored != null && !stored.equals(wanted)) {
        throw new PipelineException(
            "view "
                + view.name()
                + ": column "
                + column.name()
                + " holds "
                + stored
                + " values in container "
                + where(view.name())
                + " but the view now makes "
                + column.type()
                + " values ("
                + wanted
                + "); delete the container "
                + where(view.name())
                + " and restart: the analytics role rebuilds it from the event hub");
      }
    }
    ObjectNode definition = ResultItems.JSON.createObjectNode().put("id", view.name());
    ArrayNode recorded = definition.putArray("columns");
    columns.forEach((name, type) -> recorded.addObject().put("name", name).put("type", type));
    try {
      container(ResultNames.VIEW_DEFINITIONS)
          .upsertItem(definition, new PartitionKey(view.name()), new CosmosItemRequestOptions());
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(
          e, "recording view " + view.name(), where(ResultNames.VIEW_DEFINITIONS));
    }
  }

  /** The recorded columns of a view and their JSON types, in order; empty when none. */
  Map<String, String> recordedColumns(String view) {
    Map<String, String> columns = new LinkedHashMap<>();
    try {
      ObjectNode definition =
          container(ResultNames.VIEW_DEFINITIONS)
              .readItem(view, new PartitionKey(view), ObjectNode.class)
              .getItem();
      for (JsonNode column : definition.path("columns")) {
        columns.put(column.path("name").asText(), column.path("type").asText());
      }
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw CosmosErrors.translate(
            e, "reading view " + view, where(ResultNames.VIEW_DEFINITIONS));
      }
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, "reading view " + view, where(ResultNames.VIEW_DEFINITIONS));
    }
    return columns;
  }

  private void forgetVersions(String view) {
    CosmosContainer versions = container(ResultNames.VIEW_VERSIONS);
    try {
      List<ObjectNode> stale =
          versions
              .queryItems(
                  new SqlQuerySpec(
                      "SELECT c.id FROM c WHERE c.view = @view",
                      List.of(new SqlParameter("@view", view))),
                  new CosmosQueryRequestOptions(),
                  ObjectNode.class)
              .stream()
              .toList();
      for (ObjectNode item : stale) {
        versions.deleteItem(
            item.path("id").asText(),
            new PartitionKey(item.path("id").asText()),
            new CosmosItemRequestOptions());
      }
    } catch (CosmosException e) {
      if (e.getStatusCode() != 404) {
        throw CosmosErrors.translate(
            e, "forgetting the versions of view " + view, where(ResultNames.VIEW_VERSIONS));
      }
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(
          e, "forgetting the versions of view " + view, where(ResultNames.VIEW_VERSIONS));
    }
  }

  /**
   * @return whether the container was created now
   */
  private boolean createIfMissing(String name, String partitionKeyPath) {
    String id = config.containerName(name);
    CosmosContainerProperties properties;
    boolean created;
    try {
      CosmosContainerProperties wanted = new CosmosContainerProperties(id, partitionKeyPath);
      var response = database.createContainerIfNotExists(wanted);
      created = response.getStatusCode() == 201;
      properties = response.getProperties();
    } catch (CosmosException e) {
      if (e.getStatusCode() != 409) {
        throw CosmosErrors.translate(e, "creating the container if missing", where(name));
      }
      // Another instance created it between the SDK's read and its create.
      created = false;
      properties = database.getContainer(id).read().getProperties();
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, "creating the container if missing", where(name));
    }
    List<String> paths = properties.getPartitionKeyDefinition().getPaths();
    if (!List.of(partitionKeyPath).equals(paths)) {
      throw new PipelineException(
          "container "
              + where(name)
              + " is partitioned by "
              + paths
              + ", not "
              + partitionKeyPath
              + " as the analytics results need: it is not one of theirs; delete it, or rename the"
              + " view, or use another "
              + CosmosStoreConfig.DATABASE
              + " or "
              + CosmosStoreConfig.CONTAINER_PREFIX);
    }
    return created;
  }
}

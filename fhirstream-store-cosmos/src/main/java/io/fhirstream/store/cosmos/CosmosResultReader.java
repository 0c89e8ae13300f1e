package io.fhirstream.store.cosmos;

import com.azure.cosmos.CosmosClient;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.results.ResultNames;
import io.fhirstream.api.results.ResultReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the analytics results of a Cosmos DB database ({@link ResultItems}) with a client of its
 * own: a view's columns from {@code view_definitions}, its rows by a query of the whole container
 * sorted here (by resource key as Java orders strings, then row), numbers as written (exact ones
 * put back; integers as Long, fractions as BigDecimal), aggregate results as their JSON. With the
 * default session consistency, a client of its own may read a replica a moment behind the writer.
 * Not thread-safe.
 */
public final class CosmosResultReader implements ResultReader {
  private final CosmosClient client;
  private final ResultContainers containers;

  private CosmosResultReader(CosmosStoreConfig config, CosmosClient client) {
    this.client = client;
    this.containers = ResultContainers.reading(client, config);
  }

  /**
   * Connects and checks that the database exists.
   *
   * @throws PipelineException naming the database when it does not exist
   */
  public static CosmosResultReader open(CosmosStoreConfig config) {
    CosmosClient client = CosmosClients.connect(config);
    try {
      client.getDatabase(config.database()).read();
    } catch (CosmosException e) {
      client.close();
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
      client.close();
      throw CosmosErrors.translate(e, "opening the store", config.database());
    }
    return new CosmosResultReader(config, client);
  }

  @Override
  public List<String> columns(String view) {
    return List.copyOf(containers.recordedColumns(view).keySet());
  }

  @Override
  public Map<String, List<List<Object>>> rows(String view) {
    List<String> columns = columns(view);
    Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    if (columns.isEmpty()) {
      return rows;
    }
    List<ObjectNode> items =
        query(
            "reading the rows of view " + view,
            containers.where(view),
            () ->
                containers
                    .container(view)
                    .queryItems(
                        "SELECT * FROM c", new CosmosQueryRequestOptions(), ObjectNode.class)
                    .stream()
                    .toList());
    List<ObjectNode> sorted = new ArrayList<>(items);
    sorted.sort(
        Comparator.comparing((ObjectNode item) -> item.path(ResultItems.RESOURCE_KEY).asText())
            .thenComparingInt(item -> item.path(ResultItems.ROW).asInt()));
    for (ObjectNode item : sorted) {
      rows.computeIfAbsent(item.path(ResultItems.RESOURCE_KEY).asText(), key -> new ArrayList<>())
          .add(ResultItems.values(item, columns));
    }
    return rows;
  }

  @Override
  public Map<String, byte[]> results(String aggregate) {
    List<ObjectNode> items =
        query(
            "reading the results of aggregate " + aggregate,
            containers.where(ResultNames.AGGREGATE_RESULTS),
            () ->
                containers
                    .container(ResultNames.AGGREGATE_RESULTS)
                    .queryItems(
                        new SqlQuerySpec(
                            "SELECT * FROM c WHERE c.aggregate = @aggregate AND c.deleted = false",
                            List.of(new SqlParameter("@aggregate", aggregate))),
                        new CosmosQueryRequestOptions(),
                        ObjectNode.class)
                    .stream()
                    .toList());
    Map<String, byte[]> results = new LinkedHashMap<>();
    items.stream()
        .sorted(Comparator.comparing(item -> item.path("resultId").asText()))
        .forEach(item -> results.put(item.path("resultId").asText(), ResultItems.document(item)));
    return results;
  }

  /** Runs a query; a container that does not exist holds nothing. */
  private static List<ObjectNode> query(
      String doing, String where, Supplier<List<ObjectNode>> request) {
    try {
      return request.get();
    } catch (CosmosException e) {
      if (e.getStatusCode() == 404) {
        return List.of();
      }
      throw CosmosErrors.translate(e, doing, where);
    } catch (RuntimeException e) {
      throw CosmosErrors.translate(e, doing, where);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}

package io.fhirstream.bench.ceiling;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.config.Config;
import io.fhirstream.store.cosmos.CosmosDriverCeiling;
import io.fhirstream.store.cosmos.CosmosStoreConfig;
import io.fhirstream.store.mongodb.MongoDriverCeiling;
import io.fhirstream.store.mongodb.MongoStoreConfig;
import io.fhirstream.store.postgres.PostgresDriverCeiling;
import io.fhirstream.store.postgres.PostgresStoreConfig;
import io.fhirstream.store.sqlite.SqliteDriverCeiling;
import io.fhirstream.store.sqlite.SqliteStoreConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a store's driver takes alone (plain batched upserts by id, no version guard, no event hub),
 * so {@code fhirstream bench} can report how close the sink role, drained from the event hub, comes
 * to it. Each store measures its own driver with its own connection settings; this is where the
 * benchmark finds them by store name.
 */
@FunctionalInterface
public interface DriverCeiling {

  /**
   * Writes the events into scratch space of the configured store (a table, collection or container
   * it creates and removes again) in batches of the store's configured size.
   *
   * @param config the store's validated settings
   * @return documents written per second
   */
  double upsertsPerSecond(Config config, List<ChangeEvent> events);

  /** The ceiling of the store named by {@code store.type}, if it has one. */
  static Optional<DriverCeiling> forStore(String store) {
    Map<String, DriverCeiling> ceilings =
        Map.of(
            "sqlite",
            (config, events) ->
                SqliteDriverCeiling.upsertsPerSecond(SqliteStoreConfig.from(config), events),
            "postgres",
            (config, events) ->
                PostgresDriverCeiling.upsertsPerSecond(PostgresStoreConfig.from(config), events),
            "cosmos",
            (config, events) ->
                CosmosDriverCeiling.upsertsPerSecond(CosmosStoreConfig.from(config), events),
            "mongodb",
            (config, events) ->
                MongoDriverCeiling.upsertsPerSecond(MongoStoreConfig.from(config), events));
    return Optional.ofNullable(ceilings.get(store));
  }
}

package io.fhirstream.api;

import io.fhirstream.api.config.Config;
import java.util.List;

/**
 * Optional for a {@link DocumentSinkFactory}: writes events with the store's driver alone (plain
 * batched upserts by id, no version guard, no event hub), so {@code fhirstream bench} can report
 * how close the sink, drained from the event hub, comes to what the store itself can take.
 */
public interface DriverCeiling {

  /**
   * Writes the events into scratch space of the configured store (a table, collection or container
   * it creates and removes again) in batches of the store's configured size, one transaction or
   * bulk request per batch.
   *
   * @param config the store's settings, as for {@link DocumentSinkFactory#create}
   * @return documents written per second
   */
  double upsertsPerSecond(Config config, List<ChangeEvent> events);
}

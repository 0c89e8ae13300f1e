package io.fhirstream.demo.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.BasePagingProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps recent results for HAPI's {@code _getpages} links, and rebuilds evicted ones from their
 * cursor.
 *
 * <p>HAPI's {@code FifoMemoryPagingProvider} forgets a result after N newer searches, so a client
 * crawling a long history while others search would get 410 Gone mid-crawl. History and {@code
 * _lastUpdated} results here are snapshots of an append-only log that their {@link Cursor}
 * describes completely; the cache only saves recomputing a search's matches. Results that are not
 * replayable ({@code _id} searches, instance history) can still expire after {@code capacity} newer
 * searches.
 */
final class ReplayingPagingProvider extends BasePagingProvider {
  private final List<TypeStore> stores;
  private final JsonCodec codec;
  private final Map<String, IBundleProvider> recent;

  ReplayingPagingProvider(List<TypeStore> stores, JsonCodec codec, int capacity) {
    this.stores = List.copyOf(stores);
    this.codec = codec;
    this.recent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, IBundleProvider> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public String storeResultList(RequestDetails request, IBundleProvider result) {
    // HAPI wraps history results in its own provider, which passes getUuid() through.
    String id = result.getUuid() != null ? result.getUuid() : UUID.randomUUID().toString();
    synchronized (recent) {
      recent.put(id, result);
    }
    return id;
  }

  @Override
  public IBundleProvider retrieveResultList(RequestDetails request, String id) {
    IBundleProvider result;
    synchronized (recent) {
      result = recent.get(id);
    }
    if (result == null) {
      result = Cursor.reopen(id, stores, codec);
      if (result != null) {
        synchronized (recent) {
          recent.put(id, result);
        }
      }
    }
    return result;
  }
}

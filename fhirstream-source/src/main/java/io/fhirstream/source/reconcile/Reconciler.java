package io.fhirstream.source.reconcile;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.VersionOrder;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.api.store.StoredDocument;
import io.fhirstream.source.capture.BundlePage;
import io.fhirstream.source.capture.BundleReader;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a store with the FHIR server and repairs the difference through the hub.
 *
 * <p>{@link #compare}: the server's current resources of a type are read by search ({@code
 * [type]?_count=…}, following {@code next} links; ids and versions are kept, bodies dropped), the
 * store's by {@link DocumentReader#scan} without bodies. A resource current in the store but not on
 * the server is looked up in its history: deleted there, or unknown to it.
 *
 * <p>{@link #repair}: each missing or stale resource's current version, and each deletion, is read
 * again from the server (its newest history entry) and published to the hub; the sink applies it
 * only if it is newer than what the store holds, as any event. Changes made while it runs are
 * caught by the next comparison (or by the pipeline itself).
 */
public final class Reconciler {
  private final FhirHttpClient http;
  private final DocumentReader reader;
  private final int pageSize;

  /**
   * @param http the FHIR server's client, with the source's credentials
   * @param reader the store's reader
   * @param pageSize resources per search page
   */
  public Reconciler(FhirHttpClient http, DocumentReader reader, int pageSize) {
    this.http = http;
    this.reader = reader;
    this.pageSize = pageSize;
  }

  /** The drift of one type. */
  public TypeDrift compare(String type) {
    Map<String, ChangeEvent> server = current(type);
    Map<String, StoredDocument> live = new HashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    List<String> ahead = new ArrayList<>();
    Map<String, StoredDocument> stored = new HashMap<>();
    reader.scan(
        type,
        false,
        document -> {
          stored.put(document.id(), document);
          if (!document.deleted()) {
            live.put(document.id(), document);
          }
        });
    for (ChangeEvent onServer : server.values()) {
      StoredDocument inStore = stored.get(onServer.id());
      if (inStore == null) {
        missing.add(onServer.id());
      } else if (inStore.deleted()) {
        // Re-created on the server after the deletion the store has, or a tombstone newer than
        // the server's live version (which the guard keeps).
        (newerThan(onServer, inStore) ? missing : ahead).add(onServer.id());
      } else if (newerThan(onServer, inStore)) {
        stale.add(onServer.id());
      } else if (olderThan(onServer, inStore)) {
        ahead.add(onServer.id());
      }
    }
    List<String> deleted = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (StoredDocument document : live.values()) {
      if (server.containsKey(document.id())) {
        continue;
      }
      Optional<ChangeEvent> newest = newestVersion(type, document.id());
      if (newest.isEmpty()) {
        unknown.add(document.id());
      } else if (newest.get().deleted()) {
        deleted.add(document.id());
      }
      // else created after the search read its page: the next comparison sees it
    }
    missing.sort(null);
    stale.sort(null);
    deleted.sort(null);
    ahead.sort(null);
    unknown.sort(null);
    return new TypeDrift(type, server.size(), live.size(), missing, stale, deleted, ahead, unknown);
  }

  /**
   * Re-publishes the server's newest version (or deletion) of every missing, stale and deleted
   * resource, in batches acknowledged by the hub.
   *
   * @return events published
   */
  public int repair(TypeDrift drift, EventPublisher publisher) {
    List<String> ids = new ArrayList<>(drift.missing());
    ids.addAll(drift.stale());
    ids.addAll(drift.deleted());
    List<ChangeEvent> batch = new ArrayList<>();
    int published = 0;
    for (String id : ids) {
      Optional<ChangeEvent> newest = newestVersion(drift.type(), id);
      if (newest.isPresent()) {
        batch.add(newest.get());
      }
      if (batch.size() >= pageSize) {
        publisher.publish(batch);
        published += batch.size();
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      publisher.publish(batch);
      published += batch.size();
    }
    return published;
  }

  /** The server's current resources of a type, by id (versions and times; bodies dropped). */
  private Map<String, ChangeEvent> current(String type) {
    Map<String, ChangeEvent> byId = new HashMap<>();
    BundlePage page =
        BundleReader.read(
            http.get(URI.create(http.base() + "/" + type + "?_count=" + pageSize)).body(), type);
    while (true) {
      for (ChangeEvent event : page.events()) {
        if (!event.deleted()) {
          byId.put(
              event.id(),
              ChangeEvent.delete(type, event.id(), event.versionId(), event.lastUpdated()));
        }
      }
      if (page.next() == null) {
        return byId;
      }
      page = BundleReader.read(http.getLinked(page.next()).body(), type);
    }
  }

  /**
   * The newest entry of a resource's history (its current version, or its deletion), or empty when
   * the server does not know the resource.
   */
  private Optional<ChangeEvent> newestVersion(String type, String id) {
    try {
      BundlePage page =
          BundleReader.read(
              http.get(URI.create(http.base() + "/" + type + "/" + id + "/_history?_count=1"))
                  .body(),
              type);
      return page.events().stream()
          .filter(event -> event.id().equals(id))
          .reduce((a, b) -> VersionOrder.isNewer(b, a) ? b : a);
    } catch (PipelineException e) {
      return Optional.empty(); // 404 or 410 for the resource itself: unknown to the server
    }
  }

  private static boolean newerThan(ChangeEvent server, StoredDocument stored) {
    return VersionOrder.isNewer(
        server.versionId(), server.lastUpdated(), stored.versionId(), stored.lastUpdated());
  }

  private static boolean olderThan(ChangeEvent server, StoredDocument stored) {
    return VersionOrder.isNewer(
        stored.versionId(), stored.lastUpdated(), server.versionId(), server.lastUpdated());
  }
}

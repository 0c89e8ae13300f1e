package io.fhirstream.demo.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The demo server's in-memory, versioned resource store, usable directly (without HTTP) to seed
 * data and to check what a downstream store should contain.
 *
 * <p>It follows HAPI JPA's rules: every write is a new version ({@code meta.versionId} 1, 2, 3…), a
 * deletion included, and a resource re-created after a deletion continues its sequence. {@code
 * meta.lastUpdated} is the server time of the write in milliseconds, unique and strictly increasing
 * across the store: a write in the same millisecond as the previous one gets the next millisecond.
 * So at more than 1,000 writes a second (bulk seeding) timestamps run ahead of the wall clock, by
 * up to one millisecond per extra write, until the clock catches up. Like HAPI JPA's DAOs, the
 * write methods set {@code id} and {@code meta} on the resource passed in, which afterwards mirrors
 * the stored version.
 *
 * <p>All methods are thread-safe. Writes to the same type are serialised; reads never block.
 */
public final class ResourceStore {
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final JsonCodec codec;
  private final MonotonicClock clock;
  private final Map<String, TypeStore> types = new LinkedHashMap<>();
  private final List<Consumer<ResourceVersion>> writeListeners = new CopyOnWriteArrayList<>();

  ResourceStore(FhirContext context, List<String> resourceTypes, Clock clock) {
    this.codec = new JsonCodec(context);
    this.clock = new MonotonicClock(clock);
    for (String type : resourceTypes) {
      types.put(type, new TypeStore(type, types.size(), this.clock, codec));
    }
  }

  /** The resource types this store (and its server) serves, in the order configured. */
  public Set<String> resourceTypes() {
    return Collections.unmodifiableSet(types.keySet());
  }

  /** Stores a new resource under an id the store picks; any id on the resource is ignored. */
  public ResourceVersion create(IBaseResource resource) {
    return written(typeOf(resource).create(asR4(resource)));
  }

  /**
   * Stores a new version of the resource with the id it carries, creating it if the id is unknown
   * or deleted (update as create).
   */
  public ResourceVersion update(IBaseResource resource) {
    return update(resource, null);
  }

  /**
   * As {@link #update(IBaseResource)}, but only if the resource is still at {@code
   * expectedVersionId} (the {@code If-Match} rule); null to skip the check.
   *
   * @throws ResourceVersionConflictException if another version was written in between
   */
  public ResourceVersion update(IBaseResource resource, String expectedVersionId) {
    String id = resource.getIdElement().getIdPart();
    if (id == null || !FHIR_ID.matcher(id).matches()) {
      throw new InvalidRequestException(
          "Update needs a resource id of 1-64 letters, digits, '-' or '.'; got '" + id + "'");
    }
    return written(typeOf(resource).update(id, expectedVersionId, asR4(resource)));
  }

  /**
   * Deletes a resource as a new version. Empty if it never existed; if it is already deleted,
   * returns the existing deletion and writes nothing.
   */
  public Optional<ResourceVersion> delete(String type, String id) {
    ResourceVersion latest = type(type).latest(id).orElse(null);
    Optional<ResourceVersion> deletion = type(type).delete(id);
    // An already deleted resource returns its existing deletion: nothing was written.
    deletion.filter(d -> d != latest).ifPresent(this::written);
    return deletion;
  }

  /**
   * Calls {@code listener} after every version written (create, update, delete), on the writing
   * thread, once the version is visible to reads. The subscription notifier hooks in here.
   */
  void onWrite(Consumer<ResourceVersion> listener) {
    writeListeners.add(listener);
  }

  private ResourceVersion written(ResourceVersion version) {
    for (Consumer<ResourceVersion> listener : writeListeners) {
      listener.accept(version);
    }
    return version;
  }

  /** The newest version of a resource, which is a deletion if it is deleted. */
  public Optional<ResourceVersion> latest(String type, String id) {
    return type(type).latest(id);
  }

  /** One version of a resource, a deletion included. */
  public Optional<ResourceVersion> version(String type, String id, long versionId) {
    return type(type).version(id, versionId);
  }

  /** How many resources of the type exist and are not deleted. */
  public long countCurrent(String type) {
    return type(type).liveCount();
  }

  /** How many resources of the type are deleted (and not re-created). */
  public long countDeleted(String type) {
    return type(type).deletedCount();
  }

  /** How many versions of the type exist: the length of its full history. */
  public long countVersions(String type) {
    return type(type).log().size();
  }

  /**
   * The latest version of every resource of the type that ever existed, deletions included, keyed
   * by id: what a downstream copy should hold. The snapshot is consistent as of one point of the
   * type's history: writes that land while it is taken are all left out.
   */
  public Map<String, ResourceVersion> snapshot(String type) {
    TypeStore store = type(type);
    int upper = store.log().size();
    Map<String, ResourceVersion> snapshot = new HashMap<>();
    store
        .latestById()
        .forEach(
            (id, latest) -> {
              ResourceVersion version = latest.asOf(upper);
              if (version != null) {
                snapshot.put(id, version);
              }
            });
    return Collections.unmodifiableMap(snapshot);
  }

  JsonCodec codec() {
    return codec;
  }

  MonotonicClock clock() {
    return clock;
  }

  List<TypeStore> typeStores() {
    return new ArrayList<>(types.values());
  }

  TypeStore type(String type) {
    TypeStore store = types.get(type);
    if (store == null) {
      throw new IllegalArgumentException(
          "Resource type '"
              + type
              + "' is not served; serve it with DemoFhirServer.builder()"
              + ".resourceTypes(...). Served: "
              + types.keySet());
    }
    return store;
  }

  private TypeStore typeOf(IBaseResource resource) {
    return type(codec.context().getResourceType(resource));
  }

  private static Resource asR4(IBaseResource resource) {
    if (!(resource instanceof Resource)) {
      throw new IllegalArgumentException(
          "The demo store holds FHIR R4 resources (org.hl7.fhir.r4.model); got "
              + resource.getClass().getName());
    }
    return (Resource) resource;
  }
}

package io.fhirstream.demo.fhir;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import io.fhirstream.demo.fhir.ResourceVersion.Operation;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every version of every resource of one type: the time-ordered {@link VersionLog} plus an index
 * from id to the latest version.
 *
 * <p>Writes to one type are serialised on this object's lock, and the timestamp is drawn inside it,
 * so the log's order is the timestamps' order. Reads take no lock.
 */
final class TypeStore {
  private final String type;
  private final int index;
  private final MonotonicClock clock;
  private final JsonCodec codec;
  private final VersionLog log = new VersionLog();
  private final ConcurrentHashMap<String, ResourceVersion> latest = new ConcurrentHashMap<>();

  private long nextId = 1; // guarded by this
  private volatile int liveCount;
  private volatile int deletedCount;

  TypeStore(String type, int index, MonotonicClock clock, JsonCodec codec) {
    this.type = type;
    this.index = index;
    this.clock = clock;
    this.codec = codec;
  }

  String type() {
    return type;
  }

  /** Position of this type in the server's list, which is how paging cursors name it. */
  int index() {
    return index;
  }

  VersionLog log() {
    return log;
  }

  /**
   * The log's size once any write in flight is logged: a write draws its timestamp under this lock,
   * so every version timed before this call is below the returned size.
   */
  synchronized int settledSize() {
    return log.size();
  }

  /** Stores the resource under a new id the server picks; sets its id and meta. */
  synchronized ResourceVersion create(Resource resource) {
    String id;
    // Sequential like HAPI JPA, skipping ids a client already took with PUT.
    do {
      id = Long.toString(nextId++);
    } while (latest.containsKey(id));
    return write(id, null, resource, Operation.CREATE);
  }

  /**
   * Stores a new version under the given id, creating the resource if it never existed or was
   * deleted; sets the resource's id and meta.
   *
   * @param expectedVersionId the version the client based its change on ({@code If-Match}), or null
   * @throws ResourceVersionConflictException if {@code expectedVersionId} is not the current
   *     version
   */
  synchronized ResourceVersion update(String id, String expectedVersionId, Resource resource) {
    ResourceVersion previous = latest.get(id);
    if (expectedVersionId != null
        && (previous == null
            || previous.deleted()
            || !expectedVersionId.equals(Long.toString(previous.versionId())))) {
      throw new ResourceVersionConflictException(
          type
              + "/"
              + id
              + " is not at version "
              + expectedVersionId
              + ": read it again and re-apply the change");
    }
    return write(id, previous, resource, Operation.UPDATE);
  }

  /**
   * Deletes the resource as a new version. Deleting a deleted resource changes nothing and returns
   * the existing deletion; empty if the resource never existed.
   */
  synchronized Optional<ResourceVersion> delete(String id) {
    ResourceVersion previous = latest.get(id);
    if (previous == null) {
      return Optional.empty();
    }
    if (previous.deleted()) {
      return Optional.of(previous);
    }
    return Optional.of(write(id, previous, null, Operation.DELETE));
  }

  private ResourceVersion write(
      String id, ResourceVersion previous, Resource resource, Operation op) {
    long versionId = previous == null ? 1 : previous.versionId() + 1;
    long millis = clock.next();
    String json = resource == null ? null : codec.stampAndEncode(resource, id, versionId, millis);
    ResourceVersion version =
        new ResourceVersion(type, id, versionId, millis, op, json, previous, log.size());
    // Index first, log second: a reader that captured the log's size before this append walks
    // back from the index to the version it may see (ResourceVersion.asOf), never forward.
    latest.put(id, version);
    log.append(version);
    count(previous, version);
    return version;
  }

  private void count(ResourceVersion previous, ResourceVersion version) {
    boolean wasLive = previous != null && !previous.deleted();
    boolean wasDeleted = previous != null && previous.deleted();
    if (version.deleted()) {
      liveCount--;
      deletedCount++;
    } else if (!wasLive) {
      liveCount++;
      if (wasDeleted) {
        deletedCount--;
      }
    }
  }

  /** The newest version, a deletion included. */
  Optional<ResourceVersion> latest(String id) {
    return Optional.ofNullable(latest.get(id));
  }

  Optional<ResourceVersion> version(String id, long versionId) {
    ResourceVersion version = latest.get(id);
    while (version != null && version.versionId() > versionId) {
      version = version.previous();
    }
    return Optional.ofNullable(version).filter(v -> v.versionId() == versionId);
  }

  /** Latest versions by id, deletions included; weakly consistent, see ResourceStore.snapshot. */
  ConcurrentHashMap<String, ResourceVersion> latestById() {
    return latest;
  }

  int liveCount() {
    return liveCount;
  }

  int deletedCount() {
    return deletedCount;
  }
}

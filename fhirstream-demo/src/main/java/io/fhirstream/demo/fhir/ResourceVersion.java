package io.fhirstream.demo.fhir;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable version of one resource as the demo server stored it: a create, an update or a
 * deletion.
 *
 * <p>Versions of the same resource are numbered 1, 2, 3… without gaps; a deletion takes a number
 * too, and a resource re-created after a deletion continues the sequence. The JSON is exactly what
 * the server serves for this version (compact, with {@code id}, {@code meta.versionId} and {@code
 * meta.lastUpdated} set); a deletion has none.
 */
public final class ResourceVersion {

  /**
   * The interaction that produced a version, as a history bundle reports it in {@code
   * request.method}.
   */
  public enum Operation {
    /** {@code POST [type]}: the server chose the id. */
    CREATE,
    /** {@code PUT [type]/[id]}: an update, or a create with an id chosen by the client. */
    UPDATE,
    /** {@code DELETE [type]/[id]}. */
    DELETE
  }

  private final String resourceType;
  private final String id;
  private final long versionId;
  private final long lastUpdatedMillis;
  private final Operation operation;
  private final String json;
  private final ResourceVersion previous;
  private final int logIndex;

  ResourceVersion(
      String resourceType,
      String id,
      long versionId,
      long lastUpdatedMillis,
      Operation operation,
      String json,
      ResourceVersion previous,
      int logIndex) {
    this.resourceType = Objects.requireNonNull(resourceType);
    this.id = Objects.requireNonNull(id);
    this.versionId = versionId;
    this.lastUpdatedMillis = lastUpdatedMillis;
    this.operation = Objects.requireNonNull(operation);
    if ((operation == Operation.DELETE) != (json == null)) {
      throw new IllegalArgumentException("A deletion has no JSON; every other version has");
    }
    this.json = json;
    this.previous = previous;
    this.logIndex = logIndex;
  }

  public String resourceType() {
    return resourceType;
  }

  public String id() {
    return id;
  }

  /** 1, 2, 3…; {@code meta.versionId} is its decimal string. */
  public long versionId() {
    return versionId;
  }

  /** {@code meta.lastUpdated}: unique across the server, in millisecond precision. */
  public Instant lastUpdated() {
    return Instant.ofEpochMilli(lastUpdatedMillis);
  }

  public Operation operation() {
    return operation;
  }

  /** True if this version is a deletion. */
  public boolean deleted() {
    return operation == Operation.DELETE;
  }

  /** The JSON the server serves for this version; empty for a deletion. */
  public Optional<String> json() {
    return Optional.ofNullable(json);
  }

  /** {@code Type/id/_history/version}, the form a history bundle uses in {@code request.url}. */
  public String versionedReference() {
    return resourceType + "/" + id + "/_history/" + versionId;
  }

  long lastUpdatedMillis() {
    return lastUpdatedMillis;
  }

  /** The version before this one, or null for version 1. */
  ResourceVersion previous() {
    return previous;
  }

  /** Position in its type's {@link VersionLog}. */
  int logIndex() {
    return logIndex;
  }

  /**
   * Walks back from this (latest) version to the newest one already in the log below {@code upper}.
   */
  ResourceVersion asOf(int upper) {
    ResourceVersion version = this;
    while (version != null && version.logIndex >= upper) {
      version = version.previous;
    }
    return version;
  }

  @Override
  public String toString() {
    // Never the JSON: it is patient data.
    return versionedReference() + " " + operation + " at " + lastUpdated();
  }
}

package io.fhirstream.demo.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * The REST interactions of one resource type, backed by the {@link ResourceStore}: create, update
 * (also as create), delete, read, vread, type and instance history, and search by {@code _id} and
 * {@code _lastUpdated}.
 *
 * <p>Public only because HAPI invokes its annotated methods reflectively; it is part of {@link
 * DemoFhirServer}, not an API. Status codes follow HAPI JPA: a deleted resource reads as 410 Gone,
 * an unknown one as 404, a stale {@code If-Match} as 409.
 */
public final class VersionedResourceProvider implements IResourceProvider {
  private final Class<? extends IBaseResource> resourceClass;
  private final ResourceStore store;
  private final TypeStore types;

  VersionedResourceProvider(ResourceStore store, String type) {
    this.store = store;
    this.types = store.type(type);
    this.resourceClass = store.codec().context().getResourceDefinition(type).getImplementingClass();
  }

  @Override
  public Class<? extends IBaseResource> getResourceType() {
    return resourceClass;
  }

  @Create
  public MethodOutcome create(@ResourceParam IBaseResource resource) {
    ResourceVersion version = store.create(resource);
    return outcome(version, resource).setCreated(true);
  }

  @Update
  public MethodOutcome update(@IdParam IIdType id, @ResourceParam IBaseResource resource) {
    resource.setId(new IdType(types.type(), id.getIdPart()));
    // HAPI puts the If-Match version, if any, on the id.
    ResourceVersion version = store.update(resource, id.getVersionIdPart());
    return outcome(version, resource)
        .setCreated(version.versionId() == 1 || version.previous().deleted());
  }

  @Delete
  public MethodOutcome delete(@IdParam IIdType id) {
    ResourceVersion deletion =
        store
            .delete(types.type(), id.getIdPart())
            .orElseThrow(() -> new ResourceNotFoundException(id));
    return new MethodOutcome(new IdType(deletion.versionedReference()));
  }

  @Read(version = true)
  public IBaseResource read(@IdParam IIdType id) {
    ResourceVersion version;
    if (id.hasVersionIdPart()) {
      long versionId = parseVersion(id);
      version =
          types
              .version(id.getIdPart(), versionId)
              .orElseThrow(() -> new ResourceNotFoundException(id));
    } else {
      version = types.latest(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }
    if (version.deleted()) {
      throw new ResourceGoneException(
          "Resource " + version.versionedReference() + " was deleted at " + version.lastUpdated());
    }
    return store.codec().decode(version);
  }

  /** {@code GET [type]/_history}: every version since {@code _since} (inclusive), newest first. */
  @History
  public IBundleProvider historyType(@Since Date since, RequestDetails request) {
    long sinceMillis = since == null ? Long.MIN_VALUE : since.getTime();
    HistoryView view =
        HistoryView.since(types, store.codec(), sinceMillis, store.clock().wallMillis());
    // HAPI pages history in "offset mode" and expects the method to apply _offset itself.
    return view.skipNewest(offsetOf(request));
  }

  /** {@code GET [type]/[id]/_history}: the versions of one resource, newest first. */
  @History
  public IBundleProvider historyInstance(
      @IdParam IIdType id, @Since Date since, RequestDetails request) {
    ResourceVersion version =
        types.latest(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    long sinceMillis = since == null ? Long.MIN_VALUE : since.getTime();
    List<IBaseResource> entries = new ArrayList<>();
    for (;
        version != null && version.lastUpdatedMillis() >= sinceMillis;
        version = version.previous()) {
      entries.add(HistoryView.toEntry(store.codec(), version));
    }
    int offset = Math.min(offsetOf(request), entries.size());
    return new SimpleBundleProvider(entries.subList(offset, entries.size()));
  }

  private static int offsetOf(RequestDetails request) {
    String[] values = request.getParameters().get(Constants.PARAM_OFFSET);
    if (values == null || values.length == 0) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(values[0]));
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("_offset must be a non-negative integer; got " + values[0]);
    }
  }

  /**
   * {@code GET [type]?_lastUpdated=...&_id=...&_sort=_lastUpdated}: current versions, ordered by
   * {@code lastUpdated}, oldest first unless {@code _sort=-_lastUpdated}.
   */
  @Search(allowUnknownParams = false)
  public IBundleProvider search(
      @OptionalParam(name = "_id") TokenAndListParam ids,
      @OptionalParam(name = Constants.PARAM_LASTUPDATED) DateRangeParam lastUpdated,
      @Sort SortSpec sort) {
    LastUpdatedRange range = LastUpdatedRange.of(lastUpdated);
    boolean descending = descending(sort);
    long now = store.clock().wallMillis();
    if (ids != null) {
      return SearchView.byIds(types, store.codec(), idsOf(ids), range, descending, now);
    }
    return SearchView.byLastUpdated(
        types, store.codec(), range, descending, types.log().size(), now);
  }

  private static boolean descending(SortSpec sort) {
    if (sort == null) {
      return false;
    }
    if (!Constants.PARAM_LASTUPDATED.equals(sort.getParamName()) || sort.getChain() != null) {
      throw new InvalidRequestException(
          "The demo server sorts by _lastUpdated only; got _sort=" + sort.getParamName());
    }
    return sort.getOrder() == SortOrderEnum.DESC;
  }

  /** The ids every AND-ed {@code _id} parameter allows (each is an OR list). */
  private static Set<String> idsOf(TokenAndListParam ids) {
    Set<String> allowed = null;
    for (TokenOrListParam anyOf : ids.getValuesAsQueryTokens()) {
      Set<String> these = new HashSet<>();
      for (TokenParam token : anyOf.getValuesAsQueryTokens()) {
        these.add(new IdType(token.getValue()).getIdPart());
      }
      if (allowed == null) {
        allowed = these;
      } else {
        allowed.retainAll(these);
      }
    }
    return allowed == null ? Set.of() : allowed;
  }

  private static long parseVersion(IIdType id) {
    try {
      return Long.parseLong(id.getVersionIdPart());
    } catch (NumberFormatException e) {
      throw new ResourceNotFoundException(id);
    }
  }

  private static MethodOutcome outcome(ResourceVersion version, IBaseResource stored) {
    MethodOutcome outcome = new MethodOutcome(new IdType(version.versionedReference()));
    outcome.setResource(stored);
    return outcome;
  }
}

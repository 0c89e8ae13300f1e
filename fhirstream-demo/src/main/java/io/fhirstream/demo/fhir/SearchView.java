package io.fhirstream.demo.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The result of a search as of one moment: the current, non-deleted version of each matching
 * resource, ordered by {@code lastUpdated} (oldest first unless descending).
 *
 * <p>"Current" means current when the query ran ({@code upper}, the log's size then), so pages stay
 * consistent while writes go on. Matches are found once, by a scan of the log between the bounds'
 * binary-searched positions, and kept as log positions.
 */
final class SearchView implements IBundleProvider {
  private final TypeStore store;
  private final JsonCodec codec;
  private final LastUpdatedRange range;
  private final boolean descending;
  private final int upper;
  private final long publishedMillis;
  private final boolean replayable;
  private final int[] matches;

  private SearchView(
      TypeStore store,
      JsonCodec codec,
      LastUpdatedRange range,
      boolean descending,
      int upper,
      long publishedMillis,
      boolean replayable,
      int[] matches) {
    this.store = store;
    this.codec = codec;
    this.range = range;
    this.descending = descending;
    this.upper = upper;
    this.publishedMillis = publishedMillis;
    this.replayable = replayable;
    this.matches = matches;
  }

  /** All resources whose current version falls in {@code range}, as of log size {@code upper}. */
  static SearchView byLastUpdated(
      TypeStore store,
      JsonCodec codec,
      LastUpdatedRange range,
      boolean descending,
      int upper,
      long publishedMillis) {
    if (upper > store.log().size()) {
      throw new IllegalArgumentException("Search snapshot beyond the log: " + upper);
    }
    VersionLog log = store.log();
    int from = log.firstAtOrAfter(range.fromInclusive(), upper);
    int to = log.firstAtOrAfter(range.toExclusive(), upper);
    int[] found = new int[Math.max(0, to - from)];
    int n = 0;
    for (int i = from; i < to; i++) {
      ResourceVersion version = log.get(i);
      if (!version.deleted() && currentAsOf(store, version.id(), upper) == version) {
        found[n++] = i;
      }
    }
    return new SearchView(
        store, codec, range, descending, upper, publishedMillis, true, Arrays.copyOf(found, n));
  }

  /**
   * The given ids' current versions that fall in {@code range}; not replayable (ids are not in the
   * cursor).
   */
  static SearchView byIds(
      TypeStore store,
      JsonCodec codec,
      Collection<String> ids,
      LastUpdatedRange range,
      boolean descending,
      long publishedMillis) {
    int upper = store.log().size();
    int[] found =
        Set.copyOf(ids).stream()
            .map(id -> currentAsOf(store, id, upper))
            .filter(v -> v != null && !v.deleted() && range.contains(v.lastUpdatedMillis()))
            .mapToInt(ResourceVersion::logIndex)
            .sorted()
            .toArray();
    return new SearchView(store, codec, range, descending, upper, publishedMillis, false, found);
  }

  private static ResourceVersion currentAsOf(TypeStore store, String id, int upper) {
    return store.latest(id).map(latest -> latest.asOf(upper)).orElse(null);
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    int end = Math.min(toIndex, matches.length);
    List<IBaseResource> page = new ArrayList<>(Math.max(0, end - fromIndex));
    for (int i = fromIndex; i < end; i++) {
      int position = descending ? matches.length - 1 - i : i;
      // The BundleSplicer puts the stored JSON (or, for HAPI's encoder, the decoded resource) here.
      Resource resource = codec.placeholder(store.log().get(matches[position]));
      ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(resource, BundleEntrySearchModeEnum.MATCH);
      page.add(resource);
    }
    return page;
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return JsonCodec.lastUpdated(publishedMillis);
  }

  /** A replayable cursor (bundle id and paging key), or null so the paging provider assigns one. */
  @Override
  public String getUuid() {
    return replayable
        ? Cursor.search(store.index(), range, descending, upper, publishedMillis)
        : null;
  }

  @Override
  public Integer preferredPageSize() {
    return null;
  }

  @Override
  public Integer size() {
    return matches.length;
  }
}

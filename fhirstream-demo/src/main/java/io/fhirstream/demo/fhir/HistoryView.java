package io.fhirstream.demo.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntryTransactionMethodEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A type's history as of one moment: the log entries {@code [lower, upper)}, served newest first.
 *
 * <p>{@code upper} is the log's size when the query ran, so versions written while a client pages
 * through do not shift the pages; they show up in the client's next {@code _since} query instead.
 * Because the log never changes below its size, the view is rebuilt from its {@link #cursor()}
 * alone, so a paging link never expires.
 */
final class HistoryView implements IBundleProvider {
  private final TypeStore store;
  private final JsonCodec codec;
  private final int lower;
  private final int upper;
  private final long publishedMillis;
  private final int skip;

  HistoryView(TypeStore store, JsonCodec codec, int lower, int upper, long publishedMillis) {
    this(store, codec, lower, upper, publishedMillis, 0);
  }

  private HistoryView(
      TypeStore store, JsonCodec codec, int lower, int upper, long publishedMillis, int skip) {
    if (lower < 0 || lower > upper || upper > store.log().size()) {
      throw new IllegalArgumentException("History range out of bounds: " + lower + ".." + upper);
    }
    this.store = store;
    this.codec = codec;
    this.lower = lower;
    this.upper = upper;
    this.publishedMillis = publishedMillis;
    this.skip = skip;
  }

  /**
   * The same snapshot without its {@code count} newest entries, for a query that itself asks for
   * {@code _offset} (HAPI then expects the method to have applied it). The cursor still names the
   * whole snapshot, since HAPI's later page offsets count from its start.
   */
  HistoryView skipNewest(int count) {
    return new HistoryView(
        store, codec, lower, upper, publishedMillis, Math.min(count, upper - lower));
  }

  /** Every version written at or after {@code sinceMillis} (inclusive), as of now. */
  static HistoryView since(TypeStore store, JsonCodec codec, long sinceMillis, long nowMillis) {
    int upper = store.log().size();
    int lower = store.log().firstAtOrAfter(sinceMillis, upper);
    return new HistoryView(store, codec, lower, upper, nowMillis);
  }

  /** The version at {@code position} (0 = newest, after any skipped ones) in this view. */
  ResourceVersion get(int position) {
    return store.log().get(upper - 1 - skip - position);
  }

  String cursor() {
    return Cursor.history(store.index(), lower, upper, publishedMillis);
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    int end = Math.min(toIndex, size());
    List<IBaseResource> page = new ArrayList<>(Math.max(0, end - fromIndex));
    for (int i = fromIndex; i < end; i++) {
      page.add(toEntry(codec, get(i)));
    }
    return page;
  }

  /**
   * A {@link JsonCodec#placeholder placeholder} for the version, tagged with its interaction.
   * HAPI's R4 bundle factory turns the {@code ENTRY_TRANSACTION_METHOD} into {@code request.method}
   * and {@code request.url} (the versioned id), and drops the resource of a DELETE; see {@link
   * HistoryBundleInterceptor} for the JSON this yields. The {@link BundleSplicer} then puts the
   * stored JSON, or for HAPI's encoder the decoded resource, in the placeholder's place.
   */
  static IBaseResource toEntry(JsonCodec codec, ResourceVersion version) {
    Resource resource = codec.placeholder(version);
    ResourceMetadataKeyEnum.ENTRY_TRANSACTION_METHOD.put(resource, methodOf(version));
    return resource;
  }

  private static BundleEntryTransactionMethodEnum methodOf(ResourceVersion version) {
    switch (version.operation()) {
      case DELETE:
        return BundleEntryTransactionMethodEnum.DELETE;
      case CREATE:
        return BundleEntryTransactionMethodEnum.POST;
      default:
        return BundleEntryTransactionMethodEnum.PUT;
    }
  }

  @Override
  public IPrimitiveType<java.util.Date> getPublished() {
    return JsonCodec.lastUpdated(publishedMillis);
  }

  /** The cursor doubles as the bundle id and as the paging provider's key. */
  @Override
  public String getUuid() {
    return cursor();
  }

  @Override
  public Integer preferredPageSize() {
    return null;
  }

  @Override
  public Integer size() {
    return upper - lower - skip;
  }
}

package io.fhirstream.demo.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleLinkComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;

/**
 * Finishes history bundles on their way out: adds {@code response.lastModified} to every entry and
 * points the paging links at the result's snapshot.
 *
 * <p><b>Timestamps.</b> HAPI 8.8.0's R4 bundle factory renders a deletion from the resource's
 * {@code ENTRY_TRANSACTION_METHOD} (it ignores {@code DELETED_AT}): it keeps {@code fullUrl}, puts
 * the versioned id in {@code request.url}, drops the resource, and sets {@code response.status} to
 * "200 OK" ("201 Created" for version 1) and the ETag, but no time. So a deletion would not say
 * when it happened; this adds it. A deleted entry then reads:
 *
 * <pre>{@code
 * {
 *   "fullUrl": "http://127.0.0.1:PORT/fhir/Patient/7",
 *   "request": { "method": "DELETE", "url": "Patient/7/_history/3" },
 *   "response": { "status": "200 OK", "etag": "W/\"3\"", "lastModified": "2025-01-02T03:04:05.678+00:00" }
 * }
 * }</pre>
 *
 * and a create or update carries the full resource (with {@code meta.versionId} and {@code
 * meta.lastUpdated}), {@code request.method} POST (server-assigned id) or PUT, and the same {@code
 * response} fields. DemoFhirServerIT asserts this shape.
 *
 * <p><b>Links.</b> HAPI pages every {@code @History} method in "offset mode": its {@code next} link
 * repeats the query with {@code _offset=N}, which runs the query again, so versions written between
 * two pages would shift the newest-first pages and repeat entries. The first page's bundle id is
 * the result's {@link Cursor}; the links are rewritten to HAPI's {@code _getpages} form with that
 * cursor, which the {@link ReplayingPagingProvider} serves from the same snapshot.
 */
@Interceptor
public final class HistoryBundleInterceptor {
  private final ResourceStore store;

  HistoryBundleInterceptor(ResourceStore store) {
    this.store = store;
  }

  @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
  public void finishHistoryBundle(RequestDetails request, ResponseDetails response) {
    if (!(response.getResponseResource() instanceof Bundle)) {
      return;
    }
    Bundle bundle = (Bundle) response.getResponseResource();
    if (bundle.getType() != Bundle.BundleType.HISTORY) {
      return;
    }
    for (BundleEntryComponent entry : bundle.getEntry()) {
      InstantType lastModified = lastModifiedOf(entry);
      if (lastModified != null) {
        entry.getResponse().setLastModifiedElement(lastModified);
      }
    }
    String cursor = bundle.getIdElement().getIdPart();
    if (cursor != null && cursor.startsWith("h.")) {
      for (BundleLinkComponent link : bundle.getLink()) {
        // Pages after the first already come through _getpages and link to it.
        if (!Constants.LINK_SELF.equals(link.getRelation())
            && queryOf(link.getUrl()).containsKey(Constants.PARAM_OFFSET)) {
          link.setUrl(snapshotLink(request.getFhirServerBase(), cursor, link.getUrl()));
        }
      }
    }
  }

  private InstantType lastModifiedOf(BundleEntryComponent entry) {
    if (entry.getResource() != null && entry.getResource().getMeta().hasLastUpdated()) {
      // The entry's own meta.lastUpdated element, shared rather than copied: formatting the date
      // again would cost a tenth of what the rest of a spliced entry does.
      return entry.getResource().getMeta().getLastUpdatedElement();
    }
    if (entry.getRequest().getMethod() != HTTPVerb.DELETE || !entry.getRequest().hasUrl()) {
      return null;
    }
    IdType id = new IdType(entry.getRequest().getUrl());
    if (!id.hasVersionIdPart() || !id.isVersionIdPartValidLong()) {
      return null;
    }
    return store
        .version(id.getResourceType(), id.getIdPart(), id.getVersionIdPartAsLong())
        .map(version -> JsonCodec.lastUpdated(version.lastUpdatedMillis()))
        .orElse(null);
  }

  /**
   * {@code ...?_count=50&_offset=100} becomes {@code
   * base?_getpages=CURSOR&_getpagesoffset=100&_count=50}.
   */
  static String snapshotLink(String serverBase, String cursor, String offsetLink) {
    Map<String, String> query = queryOf(offsetLink);
    StringBuilder link =
        new StringBuilder(serverBase)
            .append("?")
            .append(Constants.PARAM_PAGINGACTION)
            .append('=')
            .append(encode(cursor))
            .append('&')
            .append(Constants.PARAM_PAGINGOFFSET)
            .append('=')
            .append(query.getOrDefault(Constants.PARAM_OFFSET, "0"));
    for (String kept :
        new String[] {Constants.PARAM_COUNT, Constants.PARAM_FORMAT, Constants.PARAM_PRETTY}) {
      if (query.containsKey(kept)) {
        link.append('&').append(kept).append('=').append(encode(query.get(kept)));
      }
    }
    return link.append('&').append(Constants.PARAM_BUNDLETYPE).append("=history").toString();
  }

  private static Map<String, String> queryOf(String url) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = URI.create(url).getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return query;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}

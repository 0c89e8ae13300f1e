package io.fhirstream.demo.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IRestfulResponse;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.RestfulServerUtils.ResponseEncoding;
import ca.uhn.fhir.util.DateUtils;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;

/**
 * Writes type-history and {@code _lastUpdated} search bundles (and their {@code _getpages} pages)
 * itself, splicing each entry's stored JSON in verbatim, so HAPI never encodes them.
 *
 * <p>Why: the benchmark backfills 100,000+ resources from this fixture server, in the JVM whose
 * pipeline it measures. HAPI's encoder path parsed every stored version into an object tree and
 * encoded it again, terser walks included: about 3,000 entries per CPU-second, so the server, not
 * the pipeline, set the pace. Now {@link HistoryView} and {@link SearchView} hand HAPI placeholders
 * (id and meta only); HAPI still builds the bundle (links, paging, request, response, search mode),
 * {@link HistoryBundleInterceptor} finishes it, and {@link SplicedBundleJson} writes it, each
 * resource being exactly {@link ResourceVersion#json()}, byte for byte.
 *
 * <p>Only bundles of replayable snapshots ({@link Cursor}s), asked for in JSON with parameters that
 * cannot change how resources render, are spliced: {@code _summary}, {@code _elements}, XML, {@code
 * _id} searches, instance history and the other interactions take HAPI's path, with each
 * placeholder replaced by the decoded resource first. Spliced responses are not gzipped even when
 * the client accepts it: on loopback compression costs more CPU than it saves.
 *
 * <p>Public only because HAPI invokes its hook reflectively; it is part of {@link DemoFhirServer}.
 */
@Interceptor
public final class BundleSplicer {
  /** After HistoryBundleInterceptor (order 0), which still changes the bundle. */
  static final int ORDER = 100;

  private static final JsonFactory JSON =
      new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  private static final Set<RestOperationTypeEnum> SPLICED =
      Set.of(
          RestOperationTypeEnum.HISTORY_TYPE,
          RestOperationTypeEnum.SEARCH_TYPE,
          RestOperationTypeEnum.GET_PAGE);
  private static final Set<String> NEUTRAL_PARAMETERS =
      Set.of(
          Constants.PARAM_COUNT,
          Constants.PARAM_OFFSET,
          Constants.PARAM_SINCE,
          Constants.PARAM_LASTUPDATED,
          Constants.PARAM_SORT,
          Constants.PARAM_PAGINGACTION,
          Constants.PARAM_PAGINGOFFSET,
          Constants.PARAM_BUNDLETYPE,
          Constants.PARAM_FORMAT,
          Constants.PARAM_PRETTY);

  private final JsonCodec codec;
  private final LongAdder spliced = new LongAdder();
  private volatile boolean enabled = true;

  BundleSplicer(JsonCodec codec) {
    this.codec = codec;
  }

  /** Off, every bundle takes HAPI's path: for tests that compare the two. */
  void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** How many responses this wrote itself. */
  long splicedResponses() {
    return spliced.sum();
  }

  /** Returns false, so that HAPI writes nothing more, if it wrote the response itself. */
  @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = ORDER)
  public boolean spliceOrDecode(
      RequestDetails request, ResponseDetails response, HttpServletResponse servlet) {
    if (!(response.getResponseResource() instanceof Bundle bundle)) {
      return true;
    }
    if (enabled
        && servlet != null
        && response.getResponseCode() == Constants.STATUS_HTTP_200_OK
        && SPLICED.contains(request.getRestOperationType())
        && Cursor.isCursor(bundle.getIdElement().getIdPart()) // not _id search, instance history
        && neutral(request.getParameters())
        && SplicedBundleJson.canWrite(bundle)) {
      ResponseEncoding encoding = RestfulServerUtils.determineResponseEncodingWithDefault(request);
      if (encoding.getEncoding() == EncodingEnum.JSON) {
        write(request, servlet, bundle, encoding.getResourceContentType());
        spliced.increment();
        return false;
      }
    }
    decodePlaceholders(bundle);
    return true;
  }

  private static boolean neutral(Map<String, String[]> parameters) {
    for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
      if (!NEUTRAL_PARAMETERS.contains(parameter.getKey())) {
        return false;
      }
    }
    // _count=0 asks HAPI for Bundle.total and Bundle.type only.
    String[] count = parameters.get(Constants.PARAM_COUNT);
    return count == null || count.length == 0 || !"0".equals(count[0]);
  }

  private void decodePlaceholders(Bundle bundle) {
    for (BundleEntryComponent entry : bundle.getEntry()) {
      ResourceVersion version = JsonCodec.placeholderFor(entry.getResource());
      if (version != null) {
        entry.setResource(codec.decode(version));
      }
    }
  }

  /** The same status and headers HAPI's encoder path sends, with the spliced body. */
  private static void write(
      RequestDetails request, HttpServletResponse servlet, Bundle bundle, String contentType) {
    IRestfulResponse out = request.getResponse();
    if (bundle.getMeta().hasLastUpdated()) {
      out.addHeader(
          Constants.HEADER_LAST_MODIFIED, DateUtils.formatDate(bundle.getMeta().getLastUpdated()));
    }
    if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) { // HAPI's rule
      out.addHeader(
          Constants.HEADER_CONTENT_LOCATION,
          request.getFhirServerBase() + "/Bundle/" + bundle.getIdElement().getIdPart());
    }
    try {
      OutputStream stream = out.getResponseOutputStream(200, contentType, null);
      servlet.setCharacterEncoding(StandardCharsets.UTF_8.name()); // HAPI's stream path clears it
      try (JsonGenerator json = JSON.createGenerator(stream, JsonEncoding.UTF8)) {
        if (RestfulServerUtils.prettyPrintResponse(request.getServer(), request)) {
          json.useDefaultPrettyPrinter();
        }
        SplicedBundleJson.write(bundle, json);
      }
      out.commitResponse(stream);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not write the " + bundle.getType().toCode() + " bundle to the client", e);
    }
  }
}

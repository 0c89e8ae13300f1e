package io.fhirstream.fault.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which requests the proxy may fault: GETs of {@code _history}, searches of a resource
 * type, and {@code _getpages} paging links; everything else (writes, reads by id, {@code
 * /metadata}, operations) is {@link RequestKind#PASS_THROUGH}. A pure function of the request line.
 */
final class RequestMatcher {
  private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]*");
  private static final String HISTORY = "_history";
  private static final String SEARCH = "_search";
  private static final String GET_PAGES = "_getpages";

  private RequestMatcher() {}

  /**
   * Classifies one request.
   *
   * @param basePath the FHIR base path on the server, e.g. {@code "/fhir"}, or {@code ""} when the
   *     server is mounted at the root
   * @param method the HTTP method
   * @param path the raw request path, e.g. {@code "/fhir/Patient/_history"}
   * @param query the raw query string without {@code ?}, or {@code null}
   */
  static RequestKind classify(String basePath, String method, String path, String query) {
    if (!"GET".equals(method)) {
      return RequestKind.PASS_THROUGH;
    }
    List<String> segments = segmentsUnder(basePath, path);
    if (segments == null) {
      return RequestKind.PASS_THROUGH;
    }
    if (segments.contains(HISTORY)) {
      return RequestKind.HISTORY;
    }
    if (segments.isEmpty()) {
      return hasParameter(query, GET_PAGES) ? RequestKind.PAGING : RequestKind.PASS_THROUGH;
    }
    boolean typeLevel =
        segments.size() == 1 || (segments.size() == 2 && SEARCH.equals(segments.get(1)));
    if (typeLevel && RESOURCE_TYPE.matcher(segments.get(0)).matches()) {
      return RequestKind.SEARCH;
    }
    return RequestKind.PASS_THROUGH;
  }

  /** The non-empty path segments below the base path, or null if the path is not under it. */
  private static List<String> segmentsUnder(String basePath, String path) {
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    if (path == null || !path.startsWith(base)) {
      return null;
    }
    String rest = path.substring(base.length());
    if (!rest.isEmpty() && !rest.startsWith("/")) {
      return null; // "/fhirx/..." is not under "/fhir"
    }
    List<String> segments = new ArrayList<>();
    for (String segment : rest.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return segments;
  }

  private static boolean hasParameter(String query, String name) {
    if (query == null) {
      return false;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if ((equals < 0 ? pair : pair.substring(0, equals)).equals(name)) {
        return true;
      }
    }
    return false;
  }
}

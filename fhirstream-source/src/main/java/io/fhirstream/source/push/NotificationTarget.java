package io.fhirstream.source.push;

import java.util.regex.Pattern;

/**
 * What a notification's URL names below the endpoint's path: nothing (HAPI's id-only rest-hook
 * POSTs to the endpoint itself), a type, or a resource ({@code {Type}/{id}}, where full-resource
 * notifications are PUT, optionally with {@code /_history/{version}}).
 *
 * @param type the resource type, or null
 * @param id the resource id, or null
 */
record NotificationTarget(String type, String id) {
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  /** Whether {@code id} is a FHIR id, safe as a key and in a URL. */
  static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Whether the notification names a resource. */
  boolean namesResource() {
    return id != null;
  }

  /**
   * Parses a request path.
   *
   * @param endpointPath the configured path, e.g. {@code /fhir-notify}
   * @return the target, or null when the path is not below the endpoint or is malformed (a non-FHIR
   *     type or id is never used as a key or in a URL)
   */
  static NotificationTarget parse(String endpointPath, String requestPath) {
    if (requestPath == null) {
      return null;
    }
    String base = endpointPath.equals("/") ? "" : endpointPath;
    if (!requestPath.startsWith(base)) {
      return null;
    }
    String rest = requestPath.substring(base.length());
    if (rest.isEmpty() || rest.equals("/")) {
      return new NotificationTarget(null, null);
    }
    if (!rest.startsWith("/")) {
      return null; // e.g. /fhir-notifyX
    }
    String[] parts = rest.substring(1).split("/", -1);
    if (parts.length > 0 && parts[parts.length - 1].isEmpty()) {
      parts = java.util.Arrays.copyOf(parts, parts.length - 1); // one trailing slash
    }
    if (parts.length == 0 || !TYPE.matcher(parts[0]).matches()) {
      return null;
    }
    if (parts.length == 1) {
      return new NotificationTarget(parts[0], null);
    }
    if (!ID.matcher(parts[1]).matches()) {
      return null;
    }
    if (parts.length == 2) {
      return new NotificationTarget(parts[0], parts[1]);
    }
    if (parts.length == 4 && parts[2].equals("_history") && VERSION.matcher(parts[3]).matches()) {
      return new NotificationTarget(parts[0], parts[1]);
    }
    return null;
  }
}

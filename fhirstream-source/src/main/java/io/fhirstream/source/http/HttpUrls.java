package io.fhirstream.source.http;

import java.net.URI;

/** The checks every configured http(s) URL gets, worded for configuration errors. */
public final class HttpUrls {
  private HttpUrls() {}

  /** Why {@code url} is not an absolute http:// or https:// URL with a host, or null if it is. */
  public static String problem(String url) {
    return problem(url, null);
  }

  /**
   * As {@link #problem(String)}, and refuses credentials in the URL (they would be logged and sent
   * wherever the URL goes).
   *
   * @param credentialsFix where credentials belong instead, e.g. "configure authentication
   *     separately"
   */
  public static String problemWithoutCredentials(String url, String credentialsFix) {
    return problem(url, credentialsFix);
  }

  private static String problem(String url, String credentialsFix) {
    try {
      URI uri = URI.create(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        return "must be an http:// or https:// URL";
      }
      if (uri.getHost() == null) {
        return "has no host";
      }
      if (credentialsFix != null && uri.getUserInfo() != null) {
        return "must not contain credentials; " + credentialsFix;
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "is not a URL";
    }
  }
}

package io.fhirstream.source.auth;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;

/**
 * Gives HAPI's generic client the same credentials as the page reader: each request asks {@link
 * FhirCredentials} for its header, but only a request to the configured base URL's origin gets one.
 * HAPI follows redirects itself, calling this again for the new URL; one to another origin goes out
 * without credentials and is remembered, so the caller can refuse it.
 */
public final class HapiAuthInterceptor implements IClientInterceptor {
  private final FhirCredentials credentials;
  private final String origin;
  private volatile String lastSent;
  private volatile URI foreign;

  /**
   * @param base the configured FHIR base URL; credentials go to its origin only
   */
  public HapiAuthInterceptor(FhirCredentials credentials, URI base) {
    this.credentials = credentials;
    this.origin = FhirHttpClient.origin(base);
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    request.removeHeaders("Authorization");
    URI uri = URI.create(request.getUri());
    if (!origin.equals(FhirHttpClient.origin(uri)) || uri.getRawUserInfo() != null) {
      foreign = uri;
      lastSent = null;
      return;
    }
    String header = credentials.authorization().orElse(null);
    lastSent = header;
    if (header != null) {
      request.addHeader("Authorization", header);
    }
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}

  /** A URL on another origin that the client was sent to (e.g. by a redirect), or null. */
  public URI foreignRequest() {
    return foreign;
  }

  /**
   * After a 401: renews the credentials the last request carried.
   *
   * @return whether one more try is worthwhile
   */
  public boolean renewAfterUnauthorized() {
    String sent = lastSent;
    return sent != null && credentials.renewAfterUnauthorized(sent);
  }
}

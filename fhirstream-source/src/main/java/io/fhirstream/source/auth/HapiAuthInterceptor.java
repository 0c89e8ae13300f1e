package io.fhirstream.source.auth;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;

/**
 * Gives HAPI's generic client the same credentials as the page reader: each request asks {@link
 * FhirCredentials} for its header. The client it is registered with must talk to the configured
 * FHIR base only.
 */
public final class HapiAuthInterceptor implements IClientInterceptor {
  private final FhirCredentials credentials;
  private volatile String lastSent;

  public HapiAuthInterceptor(FhirCredentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public void interceptRequest(IHttpRequest request) {
    request.removeHeaders("Authorization");
    String header = credentials.authorization().orElse(null);
    lastSent = header;
    if (header != null) {
      request.addHeader("Authorization", header);
    }
  }

  @Override
  public void interceptResponse(IHttpResponse response) {}

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

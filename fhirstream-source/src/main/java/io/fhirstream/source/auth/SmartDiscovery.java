package io.fhirstream.source.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Finds the token endpoint in the FHIR server's {@code {base}/.well-known/smart-configuration}
 * (SMART App Launch, "SMART configuration"). The request carries no credentials.
 */
final class SmartDiscovery {
  private SmartDiscovery() {}

  /**
   * @throws PipelineException when the document is missing or names no usable token endpoint
   * @throws RetriableException when the server is unreachable or answers 429/5xx
   */
  static URI tokenEndpoint(URI base, Duration connectTimeout, Duration requestTimeout) {
    URI document = URI.create(base + "/.well-known/smart-configuration");
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(document)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while reading " + document);
    } catch (IOException e) {
      throw new RetriableException(
          "cannot read " + document + " (" + e.getClass().getSimpleName() + ")", e);
    }
    int status = response.statusCode();
    if (status == 429 || status >= 500) {
      throw new RetriableException(document + " answered HTTP " + status);
    }
    if (status != 200) {
      throw notUsable(document, "answered HTTP " + status);
    }
    String endpoint;
    try {
      Map<String, Object> json = JSONObjectUtils.parse(response.body());
      endpoint = JSONObjectUtils.getString(json, "token_endpoint");
    } catch (java.text.ParseException e) {
      throw notUsable(document, "is not a JSON object with a token_endpoint string");
    }
    if (endpoint == null) {
      throw notUsable(document, "names no token_endpoint");
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw notUsable(document, "names a token_endpoint that is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      throw notUsable(document, "names a token_endpoint that is not an http(s) URL");
    }
    if ("http".equals(uri.getScheme()) && "https".equals(base.getScheme())) {
      throw notUsable(document, "names a plain-http token_endpoint for an https server");
    }
    return uri;
  }

  private static PipelineException notUsable(URI document, String problem) {
    return new PipelineException(
        AuthConfig.TOKEN_URL
            + " is not set and "
            + document
            + " "
            + problem
            + "; set "
            + AuthConfig.TOKEN_URL
            + " to the authorisation server's token endpoint");
  }
}

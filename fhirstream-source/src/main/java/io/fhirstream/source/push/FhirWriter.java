package io.fhirstream.source.push;

import io.fhirstream.api.PipelineException;
import io.fhirstream.source.http.FhirCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Creates and updates resources on the FHIR server (for the Subscriptions only, never on the hot
 * path). Every URL is built from the configured base, so credentials go to its origin only, and no
 * redirect is followed.
 */
public final class FhirWriter {
  private final URI base;
  private final Duration requestTimeout;
  private final FhirCredentials credentials;
  private final HttpClient http;

  public FhirWriter(
      URI base, Duration connectTimeout, Duration requestTimeout, FhirCredentials credentials) {
    this.base = base;
    this.requestTimeout = requestTimeout;
    this.credentials = credentials;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** {@code POST [base]/[type]}; returns the id the server gave it. */
  String create(String type, String json) {
    HttpResponse<String> response = send("POST", URI.create(base + "/" + type), json);
    return idFromLocation(response, type);
  }

  /** {@code PUT [base]/[type]/[id]}. */
  void update(String type, String id, String json) {
    send("PUT", URI.create(base + "/" + type + "/" + id), json);
  }

  private HttpResponse<String> send(String method, URI uri, String json) {
    String authorization = credentials.authorization().orElse(null);
    HttpResponse<String> response = sendOnce(method, uri, json, authorization);
    if (response.statusCode() == 401
        && authorization != null
        && credentials.renewAfterUnauthorized(authorization)) {
      response = sendOnce(method, uri, json, credentials.authorization().orElse(null));
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response;
    }
    throw new PipelineException(
        "the FHIR server answered "
            + method
            + " "
            + uri.getRawPath()
            + " with HTTP "
            + status
            + (status == 401 || status == 403
                ? "; the client needs write access to Subscription (check source.fhir.auth)"
                : status == 422 || status == 400
                    ? "; it refused the Subscription (does it support R4 rest-hook Subscriptions"
                        + " and criteria Type?)"
                    : ""));
  }

  private HttpResponse<String> sendOnce(String method, URI uri, String json, String authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PipelineException("interrupted while writing to the FHIR server", e);
    } catch (IOException e) {
      throw new PipelineException(
          "could not reach the FHIR server at " + base + ": " + e.getClass().getSimpleName(), e);
    }
  }

  private static String idFromLocation(HttpResponse<String> response, String type) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .or(() -> response.headers().firstValue("Content-Location"))
            .orElseThrow(
                () ->
                    new PipelineException(
                        "the FHIR server created the " + type + " but sent no Location"));
    String[] parts = URI.create(location).getPath().split("/");
    for (int i = parts.length - 2; i >= 0; i--) {
      if (parts[i].equals(type)) {
        return parts[i + 1];
      }
    }
    throw new PipelineException("the FHIR server's Location names no " + type);
  }
}

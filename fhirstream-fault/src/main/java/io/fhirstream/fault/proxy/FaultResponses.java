package io.fhirstream.fault.proxy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The error responses the proxy answers in place of the server, each with an OperationOutcome body
 * as a FHIR server would send.
 */
final class FaultResponses {
  private static final String FHIR_JSON = "application/fhir+json;charset=utf-8";

  private FaultResponses() {}

  static void tooManyRequests(Response response, Callback callback, long retryAfterSeconds) {
    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfterSeconds));
    send(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "throttled", "Too many requests");
  }

  static void serviceUnavailable(
      Response response, Callback callback, Instant now, long retryAfterSeconds) {
    Instant retryAt = RetryAfterDates.retryAt(now, retryAfterSeconds);
    response.getHeaders().put(HttpHeader.RETRY_AFTER, RetryAfterDates.format(retryAt));
    send(
        response,
        callback,
        HttpStatus.SERVICE_UNAVAILABLE_503,
        "transient",
        "Service temporarily unavailable");
  }

  static void internalError(Response response, Callback callback) {
    send(
        response,
        callback,
        HttpStatus.INTERNAL_SERVER_ERROR_500,
        "exception",
        "Internal server error");
  }

  static void expiredPage(Response response, Callback callback) {
    send(
        response,
        callback,
        HttpStatus.GONE_410,
        "not-found",
        "Search results expired: the paging link is no longer valid");
  }

  private static void send(
      Response response, Callback callback, int status, String issueCode, String diagnostics) {
    String body =
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
            + issueCode
            + "\",\"diagnostics\":\""
            + diagnostics
            + " (injected by the fhirstream fault proxy)\"}]}";
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, FHIR_JSON);
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
  }
}

package io.fhirstream.source.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.HttpDates;
import io.fhirstream.source.http.StalledReadGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP side of the Bulk Data Access IG (v2) {@code $export}: kick-off, status, file download
 * and cancel, through {@link FhirHttpClient} (retries, {@code Retry-After}, credentials on the base
 * URL's origin only).
 */
final class BulkExportClient {
  private static final ObjectMapper JSON = new ObjectMapper(FhirJson.factory());
  private static final String FHIR_JSON = "application/fhir+json";

  /** Issue codes of the "transient" family that ask a client to retry; "exception" is a failure. */
  private static final java.util.Set<String> TRANSIENT =
      java.util.Set.of("transient", "lock-error", "no-store", "timeout", "incomplete", "throttled");

  private final FhirHttpClient http;
  private final ExportConfig.Level level;
  private final Clock clock;
  private final StorageAccess storage;
  private final FhirHttpClient storageHttp;

  /**
   * @param storageHttp the storage origin's client (its credential goes there only), or null when
   *     no storage account is configured
   */
  BulkExportClient(
      FhirHttpClient http,
      ExportConfig.Level level,
      Clock clock,
      StorageAccess storage,
      FhirHttpClient storageHttp) {
    this.http = http;
    this.level = level;
    this.clock = clock;
    this.storage = storage;
    this.storageHttp = storageHttp;
  }

  /** What a status request answered. */
  sealed interface Status {}

  /** Still running: poll again after {@code retryAfter} (null when the server gave none). */
  record Running(Duration retryAfter, String progress) implements Status {}

  /** Done. */
  record Complete(ExportManifest manifest) implements Status {}

  /** The server no longer knows the job (expired, cancelled, 404/410). */
  record Gone(int status) implements Status {}

  /** A 5xx that may pass (no OperationOutcome, or a transient one): poll again later. */
  record ServerError(int status, Duration retryAfter) implements Status {}

  /**
   * The job failed (a 4xx, or a 5xx whose OperationOutcome is not transient): it never completes.
   */
  record Failed(int status, String diagnostics) implements Status {}

  /**
   * Starts an export of the types (all resources, no {@code _since}).
   *
   * @return the status URL
   * @throws PipelineException when the server refuses (names the status and the fix)
   */
  URI kickOff(List<String> types) {
    String path = level == ExportConfig.Level.PATIENT ? "/Patient/$export" : "/$export";
    URI uri =
        URI.create(
            http.base()
                + path
                + "?_outputFormat="
                + URLEncoder.encode("application/fhir+ndjson", StandardCharsets.UTF_8)
                + "&_type="
                + String.join(",", types));
    HttpResponse<InputStream> response =
        http.exchange("GET", uri, FHIR_JSON, "respond-async", true);
    byte[] body = readSmall(response);
    if (response.statusCode() != 202) {
      throw refused("kick-off GET " + uri.getRawPath(), response.statusCode(), body);
    }
    String location =
        response
            .headers()
            .firstValue("Content-Location")
            .orElseThrow(
                () ->
                    new PipelineException(
                        "the FHIR server accepted the $export kick-off (202) without a"
                            + " Content-Location header, so its status cannot be polled; check"
                            + " the server's bulk export configuration"));
    return uri.resolve(location);
  }

  /** Asks for the job's status once. */
  Status status(URI statusUrl) {
    HttpResponse<InputStream> response =
        http.exchange("GET", statusUrl, FHIR_JSON, null, true, true);
    byte[] body = readSmall(response);
    int code = response.statusCode();
    if (code == 202) {
      return new Running(
          HttpDates.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock),
          response.headers().firstValue("X-Progress").orElse(null));
    }
    if (code == 200) {
      return new Complete(ExportManifest.parse(body, statusUrl));
    }
    if (code == 404 || code == 410) {
      return new Gone(code);
    }
    if (code == 401 || code == 403 || (code >= 300 && code < 400)) {
      throw refused("status GET " + statusUrl.getRawPath(), code, body);
    }
    JsonNode issues = outcomeIssues(body);
    if (code >= 500 && (issues == null || anyTransient(issues))) {
      return new ServerError(
          code,
          HttpDates.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock));
    }
    return new Failed(code, diagnostics(body));
  }

  /** The issues of an OperationOutcome body, or null when the body is none. */
  private static JsonNode outcomeIssues(byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && "OperationOutcome".equals(root.path("resourceType").asText())
          ? root.path("issue")
          : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean anyTransient(JsonNode issues) {
    for (JsonNode issue : issues) {
      if (TRANSIENT.contains(issue.path("code").asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Opens a file for streaming; the caller closes the stream.
   *
   * @param withToken whether the manifest said {@code requiresAccessToken}: the token is then sent,
   *     and the file must be on the FHIR base URL's origin (credentials never go elsewhere)
   * @return the body, or empty when the server no longer has the file (404/410: job expired)
   */
  Optional<InputStream> open(ExportManifest.File file, boolean withToken) {
    HttpResponse<InputStream> response;
    if (storageHttp != null && storage.serves(file.url())) {
      // The storage credential, on the storage origin only; never the FHIR server's token.
      response =
          storageHttp.exchange(
              "GET",
              storage.locate(file.url()),
              "application/fhir+ndjson",
              null,
              storage.sendsToken());
    } else {
      response = openOnFhirOrigin(file, withToken);
    }
    int code = response.statusCode();
    if (code == 404 || code == 410) {
      readSmall(response);
      return Optional.empty();
    }
    if (code != 200) {
      byte[] body = readSmall(response);
      if (storageHttp != null && storage.serves(file.url()) && (code == 401 || code == 403)) {
        throw new PipelineException(
            "the storage account "
                + FhirHttpClient.origin(file.url())
                + " refused the $export file GET "
                + file.url().getRawPath()
                + " (HTTP "
                + code
                + "); check source.export.storage.auth and that its credential may read the"
                + " container (a SAS with read permission, or the role Storage Blob Data Reader)");
      }
      boolean elsewhere =
          !FhirHttpClient.origin(file.url()).equals(FhirHttpClient.origin(http.base()));
      if (elsewhere && storageHttp == null && (code == 401 || code == 403)) {
        throw new PipelineException(
            "the $export files are on another origin ("
                + FhirHttpClient.origin(file.url())
                + ") than the FHIR server, which refused to serve file GET "
                + file.url().getRawPath()
                + " without credentials (HTTP "
                + code
                + "); if it is the storage account the server exports into, set"
                + " source.export.storage.url="
                + FhirHttpClient.origin(file.url()).replaceFirst(":(443|80)$", "")
                + " and source.export.storage.auth (azure or sas)");
      }
      throw refused("file GET " + file.url().getRawPath(), code, body);
    }
    // A file may take minutes; what is bounded is the wait for its next bytes.
    return Optional.of(new StalledReadGuard(response.body(), http.requestTimeout()));
  }

  private HttpResponse<InputStream> openOnFhirOrigin(ExportManifest.File file, boolean withToken) {
    if (withToken
        && !FhirHttpClient.origin(file.url()).equals(FhirHttpClient.origin(http.base()))) {
      throw new PipelineException(
          "the FHIR server's $export manifest says its files need the access token"
              + " (requiresAccessToken=true), but a "
              + file.type()
              + " file is on another origin ("
              + FhirHttpClient.origin(file.url())
              + ") than source.fhir.base-url ("
              + FhirHttpClient.origin(http.base())
              + "); fhirstream sends credentials to the FHIR server's origin only. Have the"
              + " server serve its export files from its own origin, configure its storage"
              + " account (source.export.storage.url and source.export.storage.auth), or use"
              + " source.backfill=search");
    }
    return http.exchange("GET", file.url(), "application/fhir+ndjson", null, withToken);
  }

  /** Asks the server to cancel the job or delete its files; best effort. */
  void cancel(URI statusUrl) {
    readSmall(http.exchange("DELETE", statusUrl, FHIR_JSON, null, true));
  }

  /** Whether the CapabilityStatement names an {@code export} operation (system or Patient). */
  boolean advertisesExport() {
    HttpResponse<InputStream> response =
        http.exchange("GET", URI.create(http.base() + "/metadata"), FHIR_JSON, null, true);
    byte[] body = readSmall(response);
    if (response.statusCode() != 200) {
      throw refused("GET /metadata", response.statusCode(), body);
    }
    try {
      JsonNode statement = JSON.readTree(body);
      for (JsonNode rest : statement.path("rest")) {
        if (namesExport(rest.path("operation"))) {
          return true;
        }
        for (JsonNode resource : rest.path("resource")) {
          if (namesExport(resource.path("operation"))) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new PipelineException(
          "the FHIR server's /metadata is not JSON; check source.fhir.base-url", e);
    }
  }

  private static boolean namesExport(JsonNode operations) {
    for (JsonNode operation : operations) {
      String name = operation.path("name").asText("");
      String definition = operation.path("definition").asText("");
      if (name.equals("export")
          || definition.endsWith("/OperationDefinition/export")
          || definition.endsWith("/OperationDefinition/patient-export")) {
        return true;
      }
    }
    return false;
  }

  private static byte[] readSmall(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      return body.readNBytes(1 << 20); // a status answer or an OperationOutcome, never a file
    } catch (IOException e) {
      throw new RetriableException(
          "reading the FHIR server's answer failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The first diagnostics of an OperationOutcome body (server text about the request), or "". */
  static String diagnostics(byte[] body) {
    try {
      JsonNode issue = JSON.readTree(body).path("issue").path(0);
      String text = issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
      return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    } catch (IOException | RuntimeException e) {
      return ""; // no OperationOutcome: the status alone
    }
  }

  /** A refusal with the OperationOutcome's first diagnostics (server text about the request). */
  private static PipelineException refused(String what, int status, byte[] body) {
    String text = diagnostics(body);
    String detail = text.isEmpty() ? "" : ": " + text;
    String fix =
        status == 401 || status == 403
            ? "; check source.fhir.auth and that the client may run $export"
            : "; check that the server supports $export for these types (source.resource-types)"
                + " or set source.backfill=search";
    return new PipelineException(
        "the FHIR server answered the $export " + what + " with HTTP " + status + detail + fix);
  }
}

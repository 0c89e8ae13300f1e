package io.fhirstream.demo.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Bulk Data Access IG (v2) {@code $export} on the demo server, asynchronous with NDJSON output:
 * kick-off at {@code [base]/$export} and {@code [base]/Patient/$export} ({@code _type}, {@code
 * _since}, {@code _outputFormat}; 202 + {@code Content-Location}), status at {@code
 * [base]/$export-status/{job}} (202 + {@code Retry-After} while running, 200 + manifest when done,
 * DELETE cancels), files at {@code [base]/$export-file/{job}/{n}}, each line a stored version's
 * JSON verbatim. Behind the same bearer-token filter as the FHIR endpoint when it is protected.
 */
final class BulkExportServlet extends HttpServlet {
  static final String STATUS = "/$export-status/";
  static final String FILE = "/$export-file/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> NDJSON =
      Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");

  private final transient ResourceStore store;
  private final transient ExportJobs jobs;
  private final boolean requiresAccessToken;

  BulkExportServlet(ResourceStore store, ExportJobs jobs, boolean requiresAccessToken) {
    this.store = store;
    this.jobs = jobs;
    this.requiresAccessToken = requiresAccessToken;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI().substring(DemoFhirServer.CONTEXT_PATH.length());
    if (path.startsWith(STATUS)) {
      status(path.substring(STATUS.length()), request, response);
    } else if (path.startsWith(FILE)) {
      file(path.substring(FILE.length()), response);
    } else {
      kickOff(path.startsWith("/Patient/"), request, response);
    }
  }

  @Override
  protected void doDelete(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String path = request.getRequestURI().substring(DemoFhirServer.CONTEXT_PATH.length());
    if (path.startsWith(STATUS) && jobs.cancel(path.substring(STATUS.length()))) {
      outcome(response, 202, "information", "the export job is cancelled and its files deleted");
    } else {
      outcome(response, 404, "error", "no such export job");
    }
  }

  private void kickOff(boolean patient, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String format = request.getParameter("_outputFormat");
    if (format != null && !NDJSON.contains(format)) {
      outcome(response, 400, "error", "_outputFormat " + format + " is not supported: use ndjson");
      return;
    }
    String prefer = request.getHeader("Prefer");
    if (prefer == null || !prefer.contains("respond-async")) {
      outcome(response, 400, "error", "$export needs the header Prefer: respond-async");
      return;
    }
    Instant since = null;
    if (request.getParameter("_since") != null) {
      try {
        since = java.time.OffsetDateTime.parse(request.getParameter("_since")).toInstant();
      } catch (DateTimeParseException e) {
        outcome(response, 400, "error", "_since is not a FHIR instant");
        return;
      }
    }
    List<String> types = new ArrayList<>();
    String typeParameter = request.getParameter("_type");
    for (String type :
        typeParameter == null
            ? List.copyOf(store.resourceTypes())
            : List.of(typeParameter.split(","))) {
      if (!store.resourceTypes().contains(type.trim())) {
        outcome(response, 400, "error", "_type " + type + " is not a type this server serves");
        return;
      }
      if (!patient || inPatientCompartment(type.trim())) {
        types.add(type.trim());
      }
    }
    String query = request.getQueryString();
    ExportJob job =
        jobs.start(request.getRequestURL() + (query == null ? "" : "?" + query), types, since);
    response.setHeader("Content-Location", base(request) + STATUS + job.id);
    outcome(response, 202, "information", "export job accepted");
  }

  private void status(String id, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    ExportJob job = jobs.find(id);
    if (job == null) {
      outcome(response, 404, "error", "no such export job (expired or cancelled)");
      return;
    }
    if (jobs.options().failJobs()) {
      outcome(
          response,
          500,
          "error",
          "exception",
          "the export job failed: the export storage account cannot be written");
      return;
    }
    if (!jobs.complete(job)) {
      response.setHeader(
          "Retry-After",
          jobs.options().retryAfterAsDate()
              ? DateTimeFormatter.RFC_1123_DATE_TIME.format(
                  Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC))
              : "1");
      response.setHeader("X-Progress", job.files() == null ? "snapshot running" : "writing files");
      response.setStatus(202);
      return;
    }
    String fileBase =
        jobs.options().fileBase().map(Object::toString).orElse(base(request)) + FILE + id + "/";
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("transactionTime", job.transactionTime().toString());
    manifest.put("request", job.request);
    manifest.put("requiresAccessToken", requiresAccessToken);
    ArrayNode output = manifest.putArray("output");
    List<ExportJob.File> files = job.files();
    List<java.net.URI> blobs = jobs.blobs() == null ? null : jobs.blobs().files(job);
    for (int i = 0; i < files.size(); i++) {
      output
          .addObject()
          .put("type", files.get(i).type())
          .put("url", blobs == null ? fileBase + i : blobs.get(i).toString())
          .put("count", files.get(i).versions().size());
    }
    manifest.putArray("error");
    byte[] body = JSON.writeValueAsBytes(manifest);
    response.setStatus(200);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private void file(String rest, HttpServletResponse response) throws IOException {
    int slash = rest.indexOf('/');
    ExportJob job = slash < 0 ? null : jobs.find(rest.substring(0, slash));
    int index;
    try {
      index = slash < 0 ? -1 : Integer.parseInt(rest.substring(slash + 1));
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (job == null || !jobs.complete(job) || index < 0 || index >= job.files().size()) {
      outcome(response, 404, "error", "no such export file (expired or cancelled?)");
      return;
    }
    if (!jobs.options().fileDelay().isZero()) {
      try {
        Thread.sleep(jobs.options().fileDelay().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    response.setStatus(200);
    response.setContentType("application/fhir+ndjson");
    OutputStream out = response.getOutputStream();
    for (ResourceVersion version : job.files().get(index).versions()) {
      out.write(version.json().orElseThrow().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
  }

  private static boolean inPatientCompartment(String type) {
    return type.equals("Patient")
        || ca.uhn.fhir.context.FhirContext.forR4Cached()
            .getResourceDefinition(type)
            .getSearchParams()
            .stream()
            .anyMatch(
                p ->
                    p.getProvidesMembershipInCompartments() != null
                        && p.getProvidesMembershipInCompartments().contains("Patient"));
  }

  private static String base(HttpServletRequest request) {
    return request.getScheme()
        + "://"
        + request.getServerName()
        + ":"
        + request.getServerPort()
        + DemoFhirServer.CONTEXT_PATH;
  }

  private static void outcome(
      HttpServletResponse response, int status, String severity, String text) throws IOException {
    outcome(response, status, severity, status >= 400 ? "processing" : "informational", text);
  }

  private static void outcome(
      HttpServletResponse response, int status, String severity, String code, String text)
      throws IOException {
    ObjectNode outcome = JSON.createObjectNode().put("resourceType", "OperationOutcome");
    outcome
        .putArray("issue")
        .addObject()
        .put("severity", severity)
        .put("code", code)
        .put("diagnostics", text);
    byte[] body = JSON.writeValueAsBytes(outcome);
    response.setStatus(status);
    response.setContentType("application/fhir+json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}

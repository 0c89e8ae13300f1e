package io.fhirstream.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo server's {@code $export} over HTTP, as the Bulk Data Access IG describes it. */
class DemoFhirExportIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private DemoFhirServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private DemoFhirServer start(ExportOptions options, int patients) {
    server = DemoFhirServer.builder().resourceTypes("Patient").port(0).export(options).build();
    SyntheticPatients generator = new SyntheticPatients(2);
    for (int i = 0; i < patients; i++) {
      server.store().create(generator.next());
    }
    return server.start();
  }

  private HttpResponse<String> get(String url, boolean async) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
    if (async) {
      request.header("Prefer", "respond-async");
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitManifest(String status) throws Exception {
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> response = get(status, false);
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body());
      }
      assertThat(response.statusCode()).isEqualTo(202);
      Thread.sleep(100);
    }
    throw new AssertionError("export never completed");
  }

  @Test
  void exportsTheCurrentVersionsAsOfTheTransactionTimeInFilesOfTheConfiguredSize()
      throws Exception {
    start(ExportOptions.defaults().withResourcesPerFile(4), 10);
    server.store().delete("Patient", "2");
    Patient updated = new Patient();
    updated.setId("3");
    server.store().update(updated);

    HttpResponse<String> kickOff = get(server.baseUrl() + "/$export?_type=Patient", true);
    assertThat(kickOff.statusCode()).isEqualTo(202);
    String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
    assertThat(status).startsWith(server.baseUrl() + "/");
    JsonNode manifest = awaitManifest(status);
    server.store().delete("Patient", "4"); // after the transactionTime: still exported

    assertThat(manifest.path("requiresAccessToken").asBoolean()).isFalse();
    Instant transactionTime = Instant.parse(manifest.path("transactionTime").asText());
    List<String> lines = new ArrayList<>();
    for (JsonNode file : manifest.path("output")) {
      assertThat(file.path("type").asText()).isEqualTo("Patient");
      String body = get(file.path("url").asText(), false).body();
      body.lines().forEach(lines::add);
    }
    assertThat(manifest.path("output")).hasSize(3); // 9 current patients, 4 per file
    assertThat(lines).hasSize(9);
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("\"id\":\"3\"").contains("\"versionId\":\"2\""))
        .anySatisfy(l -> assertThat(l).contains("\"id\":\"4\""))
        .noneSatisfy(l -> assertThat(l).contains("\"id\":\"2\""));
    for (String line : lines) {
      String id = JSON.readTree(line).path("id").asText();
      long version = JSON.readTree(line).path("meta").path("versionId").asLong();
      assertThat(line)
          .as("stored bytes verbatim")
          .isEqualTo(server.store().version("Patient", id, version).orElseThrow().json().get());
      assertThat(Instant.parse(JSON.readTree(line).path("meta").path("lastUpdated").asText()))
          .isBeforeOrEqualTo(transactionTime);
    }
  }

  @Test
  void aRunningJobAnswers202WithRetryAfterAndDeleteCancelsIt() throws Exception {
    start(ExportOptions.defaults().withJobDuration(Duration.ofMinutes(5)), 3);
    String status =
        get(server.baseUrl() + "/$export", true).headers().firstValue("Content-Location").get();

    HttpResponse<String> running = get(status, false);
    assertThat(running.statusCode()).isEqualTo(202);
    assertThat(running.headers().firstValue("Retry-After")).contains("1");

    HttpResponse<String> cancel =
        http.send(
            HttpRequest.newBuilder(URI.create(status)).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(cancel.statusCode()).isEqualTo(202);
    assertThat(get(status, false).statusCode()).isEqualTo(404);
  }

  @Test
  void unsupportedRequestsAnswer400WithAnOperationOutcome() throws Exception {
    start(ExportOptions.defaults(), 1);
    for (String bad :
        List.of(
            "/$export?_outputFormat=text/csv",
            "/$export?_type=Observation",
            "/$export?_since=yesterday")) {
      HttpResponse<String> response = get(server.baseUrl() + bad, true);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).path("resourceType").asText())
          .isEqualTo("OperationOutcome");
    }
    assertThat(get(server.baseUrl() + "/$export", false).statusCode())
        .as("without Prefer: respond-async")
        .isEqualTo(400);
    assertThat(server.exportKickOffs()).isZero();
  }

  @Test
  void theCapabilityStatementListsExportOnlyWhenEnabled() throws Exception {
    start(ExportOptions.defaults(), 0);
    assertThat(get(server.baseUrl() + "/metadata", false).body()).contains("\"name\":\"export\"");
    server.close();
    start(ExportOptions.disabled(), 0);
    assertThat(get(server.baseUrl() + "/metadata", false).body()).doesNotContain("export");
    assertThat(get(server.baseUrl() + "/$export", true).statusCode()).isNotEqualTo(202);
  }
}

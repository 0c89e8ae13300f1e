package io.fhirstream.jpaserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fhirstream.jpaserver.TransactionLoader.LoadResult;
import io.fhirstream.jpaserver.TransactionLoader.TransactionFailedException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One real HAPI JPA server process for the class: the fixture bundles and a few hundred synthetic
 * patients are loaded once, then each test reads or writes what it needs (writes use types the
 * loads never touch, so the counts stay exact).
 */
class JpaFhirServerIT {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  private static final int COPY_BUNDLES = 24;
  private static final int PATIENTS_PER_COPY = 8;

  private static JpaFhirServerProcess server;
  private static FhirReader fhir;
  private static LoadResult fixtures;
  private static LoadResult copies;

  @BeforeAll
  static void startServerAndLoad() throws Exception {
    server = JpaFhirServerProcess.builder().start();
    fhir = new FhirReader(server.baseUrl());
    TransactionLoader loader = TransactionLoader.to(server.baseUrl(), 2, REQUEST_TIMEOUT);
    fixtures = loader.loadFiles(SyntheticBundles.fixtureFiles());
    copies = loader.loadBundles(SyntheticBundles.copies(COPY_BUNDLES, PATIENTS_PER_COPY));
    System.out.printf(
        "JPA server: ready %d ms after launch, log %s%n",
        server.startupTime().toMillis(), server.logFile());
    System.out.printf(
        "JPA server: loaded %d resources in %d transactions in %d ms (%.0f resources/s)%n",
        copies.created(),
        copies.bundles(),
        copies.elapsed().toMillis(),
        copies.created() * 1000.0 / Math.max(1, copies.elapsed().toMillis()));
  }

  @AfterAll
  static void stopServerAndCheckItIsGone() throws Exception {
    if (server == null) {
      return;
    }
    long pid = server.pid();
    server.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("server process %d after close()", pid)
        .isFalse();
  }

  @Test
  void metadataIsAnR4CapabilityStatementWithHistoryTransactionAndExport() throws Exception {
    JsonNode metadata = fhir.get("metadata");

    assertThat(metadata.path("resourceType").asText()).isEqualTo("CapabilityStatement");
    assertThat(metadata.path("fhirVersion").asText()).isEqualTo("4.0.1");
    JsonNode rest = metadata.path("rest").path(0);
    assertThat(codes(rest.path("interaction"), "code")).contains("transaction", "history-system");
    assertThat(codes(rest.path("operation"), "name")).contains("export");
    JsonNode patient = null;
    for (JsonNode resource : rest.path("resource")) {
      if ("Patient".equals(resource.path("type").asText())) {
        patient = resource;
      }
    }
    assertThat(patient).isNotNull();
    assertThat(codes(patient.path("interaction"), "code"))
        .contains("create", "update", "delete", "history-type", "search-type");
  }

  @Test
  void loaderCountsWhatTheServerCreatedAndSummaryCountAgrees() throws Exception {
    int copiedPatients = COPY_BUNDLES * PATIENTS_PER_COPY;
    assertThat(fixtures.createdByType())
        .isEqualTo(Map.of("Patient", 3L, "Encounter", 6L, "Observation", 9L, "Condition", 3L));
    assertThat(copies.createdByType())
        .isEqualTo(
            Map.of(
                "Patient",
                (long) copiedPatients,
                "Encounter",
                2L * copiedPatients,
                "Observation",
                3L * copiedPatients,
                "Condition",
                (long) copiedPatients));

    for (String type : List.of("Patient", "Encounter", "Observation", "Condition")) {
      long loaded = fixtures.createdByType().get(type) + copies.createdByType().get(type);
      assertThat(fhir.count(type)).as("%s?_summary=count", type).isEqualTo(loaded);
    }
  }

  @Test
  void resourcesOfOneTransactionShareOneLastUpdated() throws Exception {
    for (TransactionResponse transaction : fixtures.responses()) {
      Set<String> lastUpdated = new TreeSet<>();
      for (String location : transaction.locations()) {
        lastUpdated.add(fhir.get(unversioned(location)).path("meta").path("lastUpdated").asText());
      }
      assertThat(lastUpdated)
          .as(
              "meta.lastUpdated of the %d resources of %s",
              transaction.locations().size(), transaction.bundle())
          .hasSize(1);
    }
  }

  @Test
  void typeHistoryHasEveryVersionAndTheDeleteAsAnEntryWithoutResource() throws Exception {
    String id =
        fhir.post("Organization", "{\"resourceType\":\"Organization\",\"name\":\"v1\"}")
            .path("id")
            .asText();
    fhir.put(
        "Organization/" + id,
        "{\"resourceType\":\"Organization\",\"id\":\"" + id + "\",\"name\":\"v2\"}");
    fhir.delete("Organization/" + id);

    List<JsonNode> versions = new ArrayList<>();
    for (JsonNode entry : fhir.entries("Organization/_history?_count=2")) {
      if (entry.path("fullUrl").asText().endsWith("/Organization/" + id)) {
        versions.add(entry);
      }
    }

    assertThat(versions).hasSize(3);
    assertThat(versions.get(0).path("request").path("method").asText()).isEqualTo("DELETE");
    assertThat(versions.get(0).path("request").path("url").asText())
        .isEqualTo("Organization/" + id + "/_history/3");
    assertThat(versions.get(0).has("resource")).isFalse();
    assertThat(versions.get(1).path("resource").path("name").asText()).isEqualTo("v2");
    assertThat(versions.get(1).path("request").path("method").asText()).isEqualTo("PUT");
    assertThat(versions.get(2).path("resource").path("meta").path("versionId").asText())
        .isEqualTo("1");
    assertThat(versions.get(2).path("request").path("method").asText()).isEqualTo("POST");
  }

  @Test
  void systemHistorySinceHasLaterWritesOnly() throws Exception {
    Instant lastLoad = latestLastUpdatedOfTheLoads();
    String since = lastLoad.plusMillis(1).toString();
    String id =
        fhir.post("Organization", "{\"resourceType\":\"Organization\",\"name\":\"after\"}")
            .path("id")
            .asText();

    List<JsonNode> entries = fhir.entries("_history?_count=2&_since=" + since);

    Set<String> fullUrls = new HashSet<>();
    for (JsonNode entry : entries) {
      fullUrls.add(entry.path("fullUrl").asText());
      if (entry.has("resource")) {
        assertThat(instant(entry.path("resource").path("meta").path("lastUpdated").asText()))
            .isAfterOrEqualTo(Instant.parse(since));
      }
    }
    assertThat(fullUrls).contains(fhir.base() + "/Organization/" + id);
    assertThat(fullUrls).noneMatch(url -> url.contains("/Patient/"));
  }

  @Test
  void systemHistoryPagesReturnEveryLoadedVersionOnce() throws Exception {
    List<JsonNode> pages = new ArrayList<>();
    List<JsonNode> entries = fhir.entries("_history?_count=500", pages);

    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode entry : entries) {
      seen.merge(versionOf(entry), 1, Integer::sum);
    }
    assertThat(pages.size()).isGreaterThan(1);
    assertThat(seen).allSatisfy((version, times) -> assertThat(times).as(version).isEqualTo(1));
    assertThat(seen.keySet()).containsAll(loadedLocations());
  }

  @Test
  void lastUpdatedRangeSearchPagesReturnEachResourceOnceInOrder() throws Exception {
    Instant first = earliestLastUpdatedOfTheLoads();
    Instant last = latestLastUpdatedOfTheLoads();

    List<JsonNode> entries = fhir.entries(lastUpdatedSearch("Observation", first, last, 50));

    List<String> ids = new ArrayList<>();
    Instant previous = Instant.MIN;
    for (JsonNode entry : entries) {
      ids.add(entry.path("resource").path("id").asText());
      Instant updated = instant(entry.path("resource").path("meta").path("lastUpdated").asText());
      assertThat(updated).isAfterOrEqualTo(previous);
      previous = updated;
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(loadedIds("Observation"));
  }

  @Test
  void lastUpdatedRangeOfOneTransactionsTimestampReturnsExactlyThatTransaction() throws Exception {
    TransactionResponse second = fixtures.responses().get(1);
    Instant at =
        instant(
            fhir.get(unversioned(second.locations().get(0)))
                .path("meta")
                .path("lastUpdated")
                .asText());

    List<JsonNode> entries = fhir.entries(lastUpdatedSearch("Observation", at, at, 100));

    Set<String> expected = new HashSet<>();
    for (String location : second.locations()) {
      if (location.startsWith("Observation/")) {
        expected.add(unversioned(location));
      }
    }
    Set<String> found = new HashSet<>();
    entries.forEach(e -> found.add("Observation/" + e.path("resource").path("id").asText()));
    assertThat(found).isEqualTo(expected);
  }

  @Test
  void refusedTransactionFailsWithStatusAndDiagnosticsButNoResourceContent() {
    String canary = "Canary-Phi-" + System.nanoTime();
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"fullUrl\":"
            + "\"urn:uuid:0b7c1d9e-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":"
            + "\"Observation\",\"status\":\"final\",\"code\":{\"text\":\""
            + canary
            + "\"},\"subject\":{\"reference\":\"Patient/no-such-patient\"}},"
            + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
    TransactionLoader loader = TransactionLoader.to(server.baseUrl(), 1, REQUEST_TIMEOUT);

    assertThatThrownBy(() -> loader.loadBundles(List.of(bundle.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(TransactionFailedException.class)
        .hasMessageContaining("bundle #0")
        .hasMessageMatching("(?s).*HTTP 4\\d\\d: error .*no-such-patient.*")
        .hasMessageNotContaining(canary);
  }

  @Test
  void bulkExportWritesOneNdjsonLinePerResource() throws Exception {
    HttpResponse<byte[]> kickOff =
        fhir.raw(
            HttpRequest.newBuilder(fhir.uri("$export?_type=Patient,Condition"))
                .header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async")
                .build());
    assertThat(kickOff.statusCode()).isEqualTo(202);
    String status = kickOff.headers().firstValue("Content-Location").orElseThrow();

    JsonNode manifest = awaitManifest(status, Duration.ofMinutes(3));

    Map<String, Long> lines = new TreeMap<>();
    for (JsonNode output : manifest.path("output")) {
      HttpResponse<byte[]> file =
          fhir.raw(
              HttpRequest.newBuilder(fhir.uri(output.path("url").asText()))
                  .header("Accept", "application/fhir+ndjson")
                  .build());
      long n = new String(file.body(), StandardCharsets.UTF_8).lines().count();
      lines.merge(output.path("type").asText(), n, Long::sum);
    }
    assertThat(lines)
        .isEqualTo(Map.of("Patient", fhir.count("Patient"), "Condition", fhir.count("Condition")));
  }

  @Test
  void restHookSubscriptionDeliversAWriteOfAMatchingType() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    Server hook = hookReceiver(received);
    try {
      int port = ((ServerConnector) hook.getConnectors()[0]).getLocalPort();
      String subscription =
          fhir.post(
                  "Subscription",
                  "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"it\","
                      + "\"criteria\":\"Location?\",\"channel\":{\"type\":\"rest-hook\","
                      + "\"endpoint\":\"http://127.0.0.1:"
                      + port
                      + "/hook\",\"payload\":\"application/fhir+json\"}}")
              .path("id")
              .asText();
      awaitActive(subscription, Duration.ofMinutes(1));

      String id =
          fhir.post("Location", "{\"resourceType\":\"Location\",\"name\":\"ward\"}")
              .path("id")
              .asText();

      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(received).containsExactly("/hook/Location/" + id);
    } finally {
      hook.stop();
    }
  }

  @Test
  void printsStartupRssAndReadCeiling() throws Exception {
    Instant first = earliestLastUpdatedOfTheLoads();
    Instant last = latestLastUpdatedOfTheLoads();
    long expected = loadedIds("Observation").size();
    String search = lastUpdatedSearch("Observation", first, last, 500);

    int passes = 0;
    long pages = 0;
    long started = System.nanoTime();
    while (passes < 2 || System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
      List<JsonNode> pageList = new ArrayList<>();
      assertThat(fhir.entries(search, pageList)).hasSize((int) expected);
      pages += pageList.size();
      passes++;
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    System.out.printf(
        "JPA server figures: ready after %d ms (%d ms CPU), RSS %d MB after loading %d resources;"
            + " _lastUpdated search with _count=500 over %d Observations: %.1f pages/s,"
            + " %.0f resources/s (%d passes, 1 client)%n",
        server.startupTime().toMillis(),
        server.startupCpu().map(Duration::toMillis).orElse(-1L),
        server.residentSetBytes().orElse(-1) / (1024 * 1024),
        fixtures.created() + copies.created(),
        expected,
        pages / seconds,
        passes * expected / seconds,
        passes);
  }

  private static JsonNode awaitManifest(String statusUrl, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> poll =
          fhir.raw(
              HttpRequest.newBuilder(fhir.uri(statusUrl))
                  .header("Accept", "application/json")
                  .build());
      if (poll.statusCode() == 200) {
        return FhirReader.JSON.readTree(poll.body());
      }
      assertThat(poll.statusCode()).as("export status").isEqualTo(202);
      Thread.sleep(500);
    }
    throw new AssertionError("export not complete within " + timeout);
  }

  private static void awaitActive(String subscription, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if ("active".equals(fhir.get("Subscription/" + subscription).path("status").asText())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Subscription/" + subscription + " not active within " + timeout);
  }

  /** Records the path of each notification it receives; answers 200. */
  private static Server hookReceiver(List<String> received) throws Exception {
    Server hook = new Server();
    ServerConnector connector = new ServerConnector(hook);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    hook.addConnector(connector);
    hook.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            Content.Source.asString(request);
            received.add(request.getHttpURI().getPath());
            response.setStatus(200);
            callback.succeeded();
            return true;
          }
        });
    hook.start();
    return hook;
  }

  private static String lastUpdatedSearch(String type, Instant from, Instant to, int count) {
    return type
        + "?_lastUpdated=ge"
        + from
        + "&_lastUpdated=lt"
        + to.plusMillis(1)
        + "&_sort=_lastUpdated&_count="
        + count;
  }

  private static Instant earliestLastUpdatedOfTheLoads() throws Exception {
    return lastUpdatedOfTheLoads().get(0);
  }

  private static Instant latestLastUpdatedOfTheLoads() throws Exception {
    List<Instant> all = lastUpdatedOfTheLoads();
    return all.get(all.size() - 1);
  }

  /** One read per transaction: its resources share one timestamp (checked above). */
  private static List<Instant> lastUpdatedOfTheLoads() throws Exception {
    List<Instant> out = new ArrayList<>();
    for (LoadResult load : List.of(fixtures, copies)) {
      for (TransactionResponse transaction : load.responses()) {
        JsonNode resource = fhir.get(unversioned(transaction.locations().get(0)));
        out.add(instant(resource.path("meta").path("lastUpdated").asText()));
      }
    }
    out.sort(null);
    return out;
  }

  private static Set<String> loadedLocations() {
    Set<String> out = new HashSet<>();
    for (LoadResult load : List.of(fixtures, copies)) {
      load.responses().forEach(r -> out.addAll(r.locations()));
    }
    return out;
  }

  private static Set<String> loadedIds(String type) {
    Set<String> out = new HashSet<>();
    for (String location : loadedLocations()) {
      if (location.startsWith(type + "/")) {
        out.add(location.split("/")[1]);
      }
    }
    return out;
  }

  /** {@code Patient/1/_history/2} of a history entry, from its fullUrl and version. */
  private static String versionOf(JsonNode entry) {
    String url = entry.path("request").path("url").asText();
    return url.contains("/_history/") ? url : unversioned(entry.path("fullUrl").asText());
  }

  private static String unversioned(String location) {
    int history = location.indexOf("/_history/");
    String path = history < 0 ? location : location.substring(0, history);
    String[] parts = path.split("/");
    return parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }

  private static Instant instant(String fhirInstant) {
    return OffsetDateTime.parse(fhirInstant).toInstant();
  }

  private static List<String> codes(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(node -> out.add(node.path(field).asText()));
    return out;
  }
}

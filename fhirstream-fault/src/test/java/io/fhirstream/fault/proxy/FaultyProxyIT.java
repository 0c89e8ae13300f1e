package io.fhirstream.fault.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy between {@link java.net.http.HttpClient} and a real demo FHIR server (HAPI on Jetty),
 * both on 127.0.0.1: transparent forwarding, the symptom of each fault, what is never faulted, and
 * the fault rates over a seeded run.
 */
class FaultyProxyIT {
  private static final int PATIENTS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private static DemoFhirServer upstream;
  private static final List<String> patientIds = new ArrayList<>();

  private FaultyProxy proxy;
  private HttpClient http;

  @BeforeAll
  static void startUpstream() {
    upstream = DemoFhirServer.builder().resourceTypes("Patient").port(0).build();
    SyntheticPatients patients = new SyntheticPatients(11);
    for (int i = 0; i < PATIENTS; i++) {
      patientIds.add(upstream.store().create(patients.next()).id());
    }
    upstream.start();
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
  }

  @BeforeEach
  void startProxy() {
    proxy = startProxy(1);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  @Test
  void transparentProxyReturnsTheUpstreamBytesAndHeaders() throws Exception {
    String read = "/Patient/" + patientIds.get(0);
    HttpResponse<byte[]> direct = get(URI.create(upstream.baseUrl() + read));
    HttpResponse<byte[]> proxied = get(proxy.baseUri() + read);

    assertThat(proxied.statusCode()).isEqualTo(200);
    assertThat(proxied.body()).isEqualTo(direct.body());
    for (String header : List.of("Content-Type", "ETag", "Last-Modified", "X-Powered-By")) {
      assertThat(proxied.headers().allValues(header))
          .as(header)
          .isNotEmpty()
          .isEqualTo(direct.headers().allValues(header));
    }
    assertThat(proxied.headers().allValues("Date")).hasSize(1);
    assertThat(proxy.stats().forwarded()).isEqualTo(1);
  }

  @Test
  void transparentSearchDiffersFromUpstreamOnlyInTheOrigin() throws Exception {
    String search = "/Patient?_id=" + patientIds.get(1) + "," + patientIds.get(2);
    String direct = string(get(URI.create(upstream.baseUrl() + search)));
    String proxied = string(get(proxy.baseUri() + search));

    JsonNode expected = withoutBundleIdAndMeta(direct);
    JsonNode actual =
        withoutBundleIdAndMeta(
            proxied.replace(origin(proxy.baseUri()), origin(URI.create(upstream.baseUrl()))));
    assertThat(actual).isEqualTo(expected);
    assertThat(proxied).contains(proxy.baseUri() + "/Patient/" + patientIds.get(1));
  }

  @Test
  void nextLinksPointAtTheProxyAndEveryPageComesThroughIt() throws Exception {
    String url = proxy.baseUri() + "/Patient/_history?_count=7";
    long entries = 0;
    long pages = 0;
    while (url != null) {
      JsonNode bundle = JSON.readTree(get(url).body());
      pages++;
      entries += bundle.path("entry").size();
      url = null;
      for (JsonNode link : bundle.path("link")) {
        assertThat(link.path("url").asText()).startsWith(proxy.baseUri().toString());
        if (link.path("relation").asText().equals("next")) {
          url = link.path("url").asText();
        }
      }
    }
    long versions = upstream.store().countVersions("Patient");
    assertThat(entries).isEqualTo(versions);
    assertThat(pages).isEqualTo((versions + 6) / 7);
    assertThat(proxy.stats().forwarded()).isEqualTo(pages);
    assertThat(proxy.stats().faultable()).isEqualTo(pages);
  }

  @Test
  void tooManyRequestsCarriesRetryAfterInSeconds() throws Exception {
    proxy.setFaults(FaultPlan.always(Fault.TOO_MANY_REQUESTS));
    HttpResponse<byte[]> response = get(proxy.baseUri() + "/Patient/_history");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertIsOperationOutcome(response, "throttled");
    assertThat(proxy.stats().injected(Fault.TOO_MANY_REQUESTS)).isEqualTo(1);
    assertThat(proxy.stats().forwarded()).isZero();
  }

  @Test
  void serviceUnavailableCarriesRetryAfterAsAnHttpDateOneToTwoSecondsAhead() throws Exception {
    proxy.setFaults(FaultPlan.always(Fault.SERVICE_UNAVAILABLE));
    Instant before = Instant.now();
    HttpResponse<byte[]> response = get(proxy.baseUri() + "/Patient?_count=5");
    Instant after = Instant.now();

    assertThat(response.statusCode()).isEqualTo(503);
    String retryAfter = response.headers().firstValue("Retry-After").orElseThrow();
    assertThat(retryAfter)
        .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    // 1 s after the moment the proxy answered, rounded up to a whole second.
    assertThat(httpDate(retryAfter))
        .isAfterOrEqualTo(before.plusSeconds(1))
        .isBeforeOrEqualTo(after.plusSeconds(2));
    assertIsOperationOutcome(response, "transient");
    assertThat(proxy.stats().forwarded()).isZero();
  }

  @Test
  void internalErrorIsA500WithAnOperationOutcome() throws Exception {
    proxy.setFaults(FaultPlan.always(Fault.INTERNAL_ERROR));
    HttpResponse<byte[]> response =
        get(proxy.baseUri() + "/Patient/" + patientIds.get(3) + "/_history");

    assertThat(response.statusCode()).isEqualTo(500);
    assertIsOperationOutcome(response, "exception");
    assertThat(proxy.stats().injected(Fault.INTERNAL_ERROR)).isEqualTo(1);
  }

  @Test
  void connectionResetIsAnIoErrorNotAStatus() throws Exception {
    get(proxy.baseUri() + "/Patient/_history"); // a pooled connection, as in a real crawl
    proxy.setFaults(FaultPlan.always(Fault.CONNECTION_RESET));

    Throwable failure = catchThrowable(() -> get(proxy.baseUri() + "/Patient/_history"));

    // A TCP RST, not an orderly close the client could take for an idle connection timing out.
    assertThat(failure)
        .isInstanceOf(IOException.class)
        .hasRootCauseInstanceOf(SocketException.class)
        .hasRootCauseMessage("Connection reset");
    // java.net.http retries a GET once when no response byte arrived: both attempts were reset.
    assertThat(proxy.stats().injected(Fault.CONNECTION_RESET)).isBetween(1L, 2L);
    assertThat(proxy.stats().forwarded()).isEqualTo(1);
  }

  @Test
  void truncatedBodyIsNeverAValidResponse() throws Exception {
    proxy.setFaults(FaultPlan.always(Fault.TRUNCATED_BODY));
    List<String> searches =
        List.of(
            "/Patient?_id=" + patientIds.get(4), // HAPI streams every body in chunks
            "/Patient/_history?_count=1000");
    int attempts = 0;
    for (String search : searches) {
      byte[] complete = get(URI.create(upstream.baseUrl() + search)).body();
      for (int i = 0; i < 8; i++) {
        attempts++;
        Throwable failure =
            catchThrowable(() -> assertTruncated(get(proxy.baseUri() + search), complete));
        if (failure != null) {
          assertThat(failure)
              .isInstanceOf(IOException.class)
              .isNotInstanceOf(HttpTimeoutException.class);
        }
      }
    }
    assertThat(proxy.stats().injected(Fault.TRUNCATED_BODY)).isGreaterThanOrEqualTo(attempts);
    assertThat(proxy.stats().forwarded()).isEqualTo(proxy.stats().injected(Fault.TRUNCATED_BODY));
  }

  @Test
  void truncatedFixedLengthBodyFailsTheClient() throws Exception {
    byte[] complete = get(URI.create(upstream.baseUrl() + "/Patient/_history?_count=20")).body();
    Server fixed = FixedBodyServer.start(complete);
    try (FaultyProxy truncating = truncatingProxyTo(fixed)) {
      HttpResponse<byte[]> direct = get(fixed.getURI().resolve("/fhir/Patient"));
      assertThat(direct.headers().firstValueAsLong("Content-Length")).hasValue(complete.length);
      for (int i = 0; i < 8; i++) {
        Throwable failure =
            catchThrowable(() -> assertTruncated(get(truncating.baseUri() + "/Patient"), complete));
        if (failure != null) {
          assertThat(failure)
              .isInstanceOf(IOException.class)
              .isNotInstanceOf(HttpTimeoutException.class);
        }
      }
      assertThat(truncating.stats().injected(Fault.TRUNCATED_BODY)).isEqualTo(8);
    } finally {
      fixed.stop();
    }
  }

  @Test
  void truncatedBodyIsAStrictPrefixCutAtVaryingPoints() throws Exception {
    byte[] complete = get(URI.create(upstream.baseUrl() + "/Patient/_history?_count=20")).body();
    Server fixed = FixedBodyServer.start(complete);
    try (FaultyProxy truncating = truncatingProxyTo(fixed)) {
      for (String path : List.of("/fhir/Patient", "/fhir/Patient/_history")) {
        Set<Integer> cuts = new HashSet<>();
        for (int i = 0; i < 6; i++) {
          byte[] received = RawHttp.getUntilClosed(truncating.baseUri(), path);
          assertThat(received.length).as(path).isLessThan(complete.length);
          assertThat(Arrays.copyOf(complete, received.length)).as(path).isEqualTo(received);
          cuts.add(received.length);
        }
        assertThat(cuts).as("cut points of " + path).hasSizeGreaterThan(1);
      }
    } finally {
      fixed.stop();
    }
  }

  @Test
  void stallDelaysTheResponseByTheConfiguredDuration() throws Exception {
    Duration stall = Duration.ofMillis(1200);
    proxy.setFaults(FaultPlan.always(Fault.STALL).toBuilder().stallDuration(stall).build());
    String search = "/Patient?_id=" + patientIds.get(5);

    long start = System.nanoTime();
    HttpResponse<byte[]> response = get(proxy.baseUri() + search);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(elapsed).isGreaterThanOrEqualTo(stall);
    assertThat(proxy.stats().injected(Fault.STALL)).isEqualTo(1);
    assertThat(proxy.stats().forwarded()).isEqualTo(1);
  }

  @Test
  void stallOutlastsTheClientsRequestTimeout() {
    proxy.setFaults(
        FaultPlan.builder()
            .probability(Fault.STALL, 1)
            .stallDuration(Duration.ofSeconds(2))
            .build());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(proxy.baseUri() + "/Patient/_history"))
            .timeout(Duration.ofMillis(300))
            .build();

    assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(proxy.stats().forwarded()).isZero();
  }

  @Test
  void expiredPageIsOnlyInjectedIntoGetpagesLinks() throws Exception {
    proxy.setFaults(FaultPlan.always(Fault.EXPIRED_PAGE));
    HttpResponse<byte[]> history = get(proxy.baseUri() + "/Patient/_history?_count=10");
    HttpResponse<byte[]> search = get(proxy.baseUri() + "/Patient?_count=10");
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(search.statusCode()).isEqualTo(200);

    HttpResponse<byte[]> nextPage = get(nextLink(history));

    assertThat(nextPage.statusCode()).isEqualTo(410);
    assertIsOperationOutcome(nextPage, "not-found");
    FaultStats stats = proxy.stats();
    assertThat(stats.faultable()).isEqualTo(3);
    assertThat(stats.injected(Fault.EXPIRED_PAGE)).isEqualTo(1);
    assertThat(stats.totalInjected()).isEqualTo(1);
    assertThat(stats.forwarded()).isEqualTo(2);
  }

  @Test
  void writesReadsAndMetadataAreNeverFaulted() throws Exception {
    FaultPlan everyFault =
        FaultPlan.builder()
            .probability(Fault.TOO_MANY_REQUESTS, 0.2)
            .probability(Fault.SERVICE_UNAVAILABLE, 0.2)
            .probability(Fault.INTERNAL_ERROR, 0.2)
            .probability(Fault.CONNECTION_RESET, 0.2)
            .probability(Fault.TRUNCATED_BODY, 0.2)
            .build();
    proxy.setFaults(everyFault);
    SyntheticPatients patients = new SyntheticPatients(99);
    int requests = 0;
    for (int i = 0; i < 5; i++) {
      HttpResponse<byte[]> created = send("POST", proxy.baseUri() + "/Patient", patients.next());
      assertThat(created.statusCode()).isEqualTo(201);
      String id = JSON.readTree(created.body()).path("id").asText();
      Patient changed = patients.next();
      changed.setId(id);
      assertThat(send("PUT", proxy.baseUri() + "/Patient/" + id, changed).statusCode())
          .isEqualTo(200);
      assertThat(get(proxy.baseUri() + "/Patient/" + id).statusCode()).isEqualTo(200);
      assertThat(send("DELETE", proxy.baseUri() + "/Patient/" + id, null).statusCode())
          .isIn(200, 204);
      assertThat(get(proxy.baseUri() + "/metadata").statusCode()).isEqualTo(200);
      requests += 5;
    }
    FaultStats stats = proxy.stats();
    assertThat(stats.requests()).isEqualTo(requests);
    assertThat(stats.faultable()).isZero();
    assertThat(stats.totalInjected()).isZero();
    assertThat(stats.forwarded()).isEqualTo(requests);

    catchThrowable(() -> get(proxy.baseUri() + "/Patient/_history")); // the plan is live
    assertThat(proxy.stats().totalInjected()).isPositive();
  }

  @Test
  void faultsCanBeChangedWhileRunning() throws Exception {
    String history = proxy.baseUri() + "/Patient/_history?_count=1";
    assertThat(get(history).statusCode()).isEqualTo(200);
    proxy.setFaults(FaultPlan.always(Fault.INTERNAL_ERROR));
    assertThat(get(history).statusCode()).isEqualTo(500);
    proxy.setFaults(FaultPlan.none());
    assertThat(get(history).statusCode()).isEqualTo(200);
  }

  @Test
  void faultRatesFollowThePlanAndTheSeedReproducesThem() throws Exception {
    FaultPlan plan =
        FaultPlan.builder()
            .probability(Fault.TOO_MANY_REQUESTS, 0.1)
            .probability(Fault.SERVICE_UNAVAILABLE, 0.1)
            .probability(Fault.INTERNAL_ERROR, 0.2)
            .probability(Fault.EXPIRED_PAGE, 0.3) // never drawn: no request is a _getpages link
            .build();
    int requests = 200;
    proxy.setFaults(plan);
    List<Integer> statuses = statusesOf(proxy, requests);
    FaultStats stats = proxy.stats();

    assertThat(stats.faultable()).isEqualTo(requests);
    assertThat(stats.injected(Fault.TOO_MANY_REQUESTS)).isBetween(8L, 35L);
    assertThat(stats.injected(Fault.SERVICE_UNAVAILABLE)).isBetween(8L, 35L);
    assertThat(stats.injected(Fault.INTERNAL_ERROR)).isBetween(22L, 60L);
    assertThat(stats.injected(Fault.EXPIRED_PAGE)).isZero();
    assertThat(stats.forwarded() + stats.totalInjected()).isEqualTo(requests);
    assertThat(statuses.stream().filter(s -> s == 429).count())
        .isEqualTo(stats.injected(Fault.TOO_MANY_REQUESTS));
    assertThat(statuses.stream().filter(s -> s == 503).count())
        .isEqualTo(stats.injected(Fault.SERVICE_UNAVAILABLE));
    assertThat(statuses.stream().filter(s -> s == 500).count())
        .isEqualTo(stats.injected(Fault.INTERNAL_ERROR));
    assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(stats.forwarded());

    try (FaultyProxy twin = startProxy(1)) {
      twin.setFaults(plan);
      assertThat(statusesOf(twin, requests)).isEqualTo(statuses);
    }
    try (FaultyProxy other = startProxy(2)) {
      other.setFaults(plan);
      assertThat(statusesOf(other, requests)).isNotEqualTo(statuses);
    }
  }

  private List<Integer> statusesOf(FaultyProxy target, int requests) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(get(target.baseUri() + "/Patient?_count=1").statusCode());
    }
    return statuses;
  }

  private static FaultyProxy startProxy(long seed) {
    return FaultyProxy.builder()
        .upstream(URI.create(upstream.baseUrl()))
        .port(0)
        .seed(seed)
        .build()
        .start();
  }

  private HttpResponse<byte[]> get(String url) throws Exception {
    return get(URI.create(url));
  }

  private HttpResponse<byte[]> get(URI url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> send(String method, String url, Patient patient) throws Exception {
    HttpRequest.BodyPublisher body =
        patient == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(
                FHIR.newJsonParser().encodeResourceToString(patient));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, body)
            .header("Content-Type", "application/fhir+json")
            .header("Prefer", "return=representation")
            .timeout(Duration.ofSeconds(20))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static FaultyProxy truncatingProxyTo(Server server) {
    return FaultyProxy.builder()
        .upstream(server.getURI().resolve("/fhir"))
        .faults(FaultPlan.always(Fault.TRUNCATED_BODY))
        .seed(3)
        .build()
        .start();
  }

  private static JsonNode withoutBundleIdAndMeta(String bundle) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(bundle);
    tree.remove(List.of("id", "meta")); // HAPI makes both anew for every response
    return tree;
  }

  private static void assertTruncated(HttpResponse<byte[]> response, byte[] complete) {
    assertThat(response.body().length).isLessThan(complete.length);
    assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(IOException.class);
  }

  private static void assertIsOperationOutcome(HttpResponse<byte[]> response, String code)
      throws IOException {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/fhir+json"));
    JsonNode outcome = JSON.readTree(response.body());
    assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
    assertThat(outcome.path("issue").path(0).path("code").asText()).isEqualTo(code);
  }

  private static String nextLink(HttpResponse<byte[]> bundle) throws IOException {
    for (JsonNode link : JSON.readTree(bundle.body()).path("link")) {
      if (link.path("relation").asText().equals("next")) {
        return link.path("url").asText();
      }
    }
    throw new AssertionError("No next link in " + string(bundle));
  }

  private static String string(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getAuthority();
  }

  private static Instant httpDate(String value) {
    return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
  }
}

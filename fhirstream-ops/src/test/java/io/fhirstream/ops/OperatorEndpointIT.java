package io.fhirstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.ops.HealthCheck.Result;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real endpoint on 127.0.0.1, scraped and probed over HTTP as Prometheus and Kubernetes do. */
class OperatorEndpointIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicReference<Result> fhir = new AtomicReference<>(Result.up());
  private final AtomicReference<Result> pipeline = new AtomicReference<>(Result.up());
  private final AtomicLong patientLag = new AtomicLong(5);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private OperatorEndpoint endpoint;

  @BeforeEach
  void start() {
    Gauge.builder(MeterNames.SINK_LAG, patientLag, AtomicLong::get)
        .tags(MeterNames.TOPIC, "fhir.Patient", MeterNames.PARTITION, "0")
        .register(registry);
    endpoint =
        OperatorEndpoint.builder()
            .metrics(registry)
            .livenessCheck(HealthCheck.of("pipeline", pipeline::get))
            .healthCheck(HealthCheck.of("kafka", Result::up))
            .healthCheck(HealthCheck.of("fhir", fhir::get))
            .healthCacheFor(Duration.ofMillis(200))
            .start();
  }

  @AfterEach
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.url().resolve(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsLoopbackOnAFreePortByDefault() {
    assertThat(endpoint.url().getHost()).isEqualTo("127.0.0.1");
    assertThat(endpoint.port()).isPositive();
    assertThat(endpoint.url()).hasToString("http://127.0.0.1:" + endpoint.port() + "/");
  }

  @Test
  void metricsServeThePrometheusTextOfTheFedMeters() throws Exception {
    registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Patient").increment(42);
    registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Observation").increment(7);
    registry.counter(MeterNames.SOURCE_PUBLISHED, MeterNames.TYPE, "Patient").increment(50);
    registry.counter(MeterNames.SINK_DEAD_LETTERS, MeterNames.REASON, "unparseable").increment(2);
    Timer latency = MeterNames.sinkLatency().register(registry);
    latency.record(Duration.ofMillis(20));
    latency.record(Duration.ofMillis(30));

    HttpResponse<String> metrics = get("metrics");

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body().lines())
        .contains(
            "# TYPE fhirstream_sink_written_total counter",
            "fhirstream_sink_written_total{type=\"Patient\"} 42.0",
            "fhirstream_sink_written_total{type=\"Observation\"} 7.0",
            "fhirstream_source_published_total{type=\"Patient\"} 50.0",
            "fhirstream_sink_dead_letters_total{reason=\"unparseable\"} 2.0",
            "fhirstream_sink_lag{partition=\"0\",topic=\"fhir.Patient\"} 5.0",
            "fhirstream_sink_latency_seconds_count 2",
            "fhirstream_sink_latency_seconds_sum 0.05");
    assertThat(metrics.body()).contains("fhirstream_sink_latency_seconds_bucket{le=\"0.02");

    registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Patient").increment(8);
    patientLag.set(0);

    assertThat(get("metrics").body().lines())
        .contains(
            "fhirstream_sink_written_total{type=\"Patient\"} 50.0",
            "fhirstream_sink_lag{partition=\"0\",topic=\"fhir.Patient\"} 0.0");
  }

  @Test
  void metricsServeOpenMetricsWhenTheScraperAsksForIt() throws Exception {
    registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Patient").increment(3);

    HttpResponse<String> metrics =
        get(
            "metrics",
            "Accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(metrics.body())
        .contains("fhirstream_sink_written_total{type=\"Patient\"} 3.0")
        .endsWith("# EOF\n");
  }

  @Test
  void readinessFlipsWithAFailingCheckWhileLivenessStays() throws Exception {
    HttpResponse<String> ready = get("health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Content-Type"))
        .hasValue("application/json;charset=utf-8");
    assertThat(JSON.readTree(ready.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"status\":\"UP\",\"checks\":{\"pipeline\":{\"status\":\"UP\"},"
                    + "\"kafka\":{\"status\":\"UP\"},\"fhir\":{\"status\":\"UP\"}}}"));

    fhir.set(Result.down("GET metadata answered 503"));

    await().atMost(Duration.ofSeconds(5)).until(() -> get("health/ready").statusCode() == 503);
    JsonNode down = JSON.readTree(get("health/ready").body());
    assertThat(down.get("status").asText()).isEqualTo("DOWN");
    assertThat(down.at("/checks/fhir/status").asText()).isEqualTo("DOWN");
    assertThat(down.at("/checks/fhir/detail").asText()).isEqualTo("GET metadata answered 503");
    assertThat(down.at("/checks/kafka/status").asText()).isEqualTo("UP");
    assertThat(get("health/live").statusCode()).isEqualTo(200);

    fhir.set(Result.up());

    await().atMost(Duration.ofSeconds(5)).until(() -> get("health/ready").statusCode() == 200);
  }

  @Test
  void livenessFailsInAFatalStateAndReadinessWithIt() throws Exception {
    assertThat(get("health/live").statusCode()).isEqualTo(200);

    pipeline.set(Result.down("the sink stopped: store rejected the schema"));

    await().atMost(Duration.ofSeconds(5)).until(() -> get("health/live").statusCode() == 503);
    assertThat(JSON.readTree(get("health/live").body()).at("/checks/pipeline/detail").asText())
        .isEqualTo("the sink stopped: store rejected the schema");
    assertThat(get("health/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void theDashboardApiAgreesWithTheMetrics() throws Exception {
    registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Patient").increment(12);
    registry.counter(MeterNames.SOURCE_PUBLISHED, MeterNames.TYPE, "Patient").increment(15);
    registry.counter(MeterNames.SINK_DEAD_LETTERS).increment(1);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> dashboard().at("/totals/written").asLong() == 12);
    JsonNode dashboard = dashboard();

    assertThat(dashboard.at("/totals/published").asLong()).isEqualTo(15);
    assertThat(dashboard.at("/totals/deadLetters").asLong()).isEqualTo(1);
    assertThat(dashboard.at("/totals/lag").asLong()).isEqualTo(5);
    assertThat(dashboard.at("/lag/0/topic").asText()).isEqualTo("fhir.Patient");
    assertThat(get("metrics").body().lines())
        .contains(
            "fhirstream_sink_written_total{type=\"Patient\"} 12.0",
            "fhirstream_source_published_total{type=\"Patient\"} 15.0",
            "fhirstream_sink_dead_letters_total 1.0");
  }

  private JsonNode dashboard() throws Exception {
    HttpResponse<String> response = get("api/dashboard");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/json;charset=utf-8");
    return JSON.readTree(response.body());
  }

  @Test
  void theStreamPushesASnapshotEverySecond() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.url().resolve("api/dashboard/stream"))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      Iterator<String> events = lines.filter(line -> line.startsWith("data:")).iterator();
      JsonNode first = JSON.readTree(events.next().substring(5));
      registry.counter(MeterNames.SINK_WRITTEN, MeterNames.TYPE, "Patient").increment(9);
      JsonNode later = first;
      for (int i = 0; i < 5 && later.at("/totals/written").asLong() != 9; i++) {
        later = JSON.readTree(events.next().substring(5));
      }

      assertThat(first.at("/totals/written").asLong()).isZero();
      assertThat(later.at("/totals/written").asLong()).isEqualTo(9);
      assertThat(later.get("time").asLong()).isGreaterThan(first.get("time").asLong());
    }
  }

  @Test
  void viewersPastTheLimitAreTurnedAway() throws Exception {
    endpoint.close();
    endpoint = OperatorEndpoint.builder().metrics(registry).maxDashboardViewers(1).start();
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.url().resolve("api/dashboard/stream"))
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> first = http.send(request, HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = first.body()) {
      assertThat(lines.filter(line -> line.startsWith("data:")).findFirst()).isPresent();

      assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(503);
    }
  }

  @Test
  void thePageIsSelfContainedAndLoadsNothingFromElsewhere() throws Exception {
    HttpResponse<String> page = get("");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("default-src 'none'", "connect-src 'self'"));
    assertThat(page.body()).contains("src=\"dashboard.js\"", "href=\"dashboard.css\"");

    for (String file : List.of("dashboard.js", "dashboard.css")) {
      HttpResponse<String> asset = get(file);
      assertThat(asset.statusCode()).as(file).isEqualTo(200);
      assertThat(asset.body().length()).as(file).isGreaterThan(1000);
      // The only URL in them is SVG's namespace, which names, never fetches.
      assertThat(asset.body().replace("http://www.w3.org/2000/svg", ""))
          .as(file)
          .doesNotContain("http://", "https://", "//cdn", "@import");
    }
    assertThat(get("dashboard.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript;charset=utf-8");
    assertThat(page.body()).doesNotContain("http://", "https://");
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    assertThat(get("nope").statusCode()).isEqualTo(404);
    assertThat(get("io/fhirstream/ops/dashboard/index.html").statusCode()).isEqualTo(404);
  }

  @Test
  void aTakenPortFailsWithWhatToDo() {
    OperatorEndpointBuilder second =
        OperatorEndpoint.builder().metrics(registry).port(endpoint.port());

    assertThatThrownBy(second::start)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("could not listen on 127.0.0.1:" + endpoint.port())
        .hasMessageContaining("choose a free port");
  }

  @Test
  void noEndpointRevealsTheServerVersion() throws Exception {
    for (String path : List.of("", "metrics", "health/ready", "api/dashboard")) {
      Map<String, List<String>> headers = get(path).headers().map();
      assertThat(headers).as(path).doesNotContainKey("server");
    }
  }
}

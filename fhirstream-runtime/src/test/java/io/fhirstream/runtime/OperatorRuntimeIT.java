package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fhirstream.api.metrics.Meters;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.ops.OperatorRuntime;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator endpoint on a real pipeline: /metrics carries the pipeline's numbers under their
 * documented names, the probes see Kafka, the FHIR server and the store, the dashboard counts the
 * store and shows dead letters by reason, and every meter the pipeline registers is documented.
 */
class OperatorRuntimeIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static HttpResponse<String> get(URI url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double sample(String scrape, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void theEndpointServesThePipelinesNumbersProbesAndDashboard() throws Exception {
    try (PipelineFixture fixture = new PipelineFixture(dir)) {
      fixture.workload.seed(fixture.server.store(), 20);
      fixture.withSettings("ops.port", "0").withSettings("hub.partitions", "2");
      Settings settings = Settings.parse(fixture.settings);
      Set<Role> roles = EnumSet.of(Role.SOURCE, Role.SINK);
      PrometheusMeterRegistry metrics = OperatorRuntime.newRegistry();
      try (OperatorRuntime ops = OperatorRuntime.start(settings, roles, metrics)) {
        URI url = ops.url().orElseThrow();
        assertThat(get(url.resolve("health/ready")).statusCode())
            .as("not ready while the pipeline starts")
            .isEqualTo(503);
        try (Pipeline pipeline = Pipeline.start(settings, roles, metrics)) {
          ops.attach(pipeline);
          for (int i = 0; i < 30; i++) {
            fixture.workload.randomChange();
          }
          try (KafkaProducer<String, byte[]> producer =
              KafkaClients.producer(pipeline.hub(), "test")) {
            producer.send(
                new ProducerRecord<>(
                    fixture.topic(), "poison", "not JSON".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
          }
          assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90))).isTrue();

          String scrape = get(url.resolve("metrics")).body();
          double written = sample(scrape, "fhirstream_sink_written_total{type=\"Patient\"}");
          assertThat(written).as("written per type").isGreaterThanOrEqualTo(20);
          assertThat(sample(scrape, "fhirstream_source_published_total{type=\"Patient\"}"))
              .isGreaterThanOrEqualTo(20);
          assertThat(sample(scrape, "fhirstream_sink_dead_letters_total{reason=\"invalid-json\"}"))
              .isEqualTo(1);
          assertThat(
                  sample(
                      scrape,
                      "fhirstream_sink_lag{partition=\"1\",topic=\"" + fixture.topic() + "\"}"))
              .isEqualTo(0);
          assertThat(sample(scrape, "fhirstream_source_cursor_age_seconds{type=\"Patient\"}"))
              .isBetween(0.0, 600.0);
          assertThat(scrape)
              .contains("fhirstream_sink_latency_seconds_bucket{le=")
              .contains("fhirstream_store_flush_seconds_count{store=\"sqlite\"}")
              .contains("fhirstream_source_publish_seconds_count{publisher=\"fhirstream-source\"}")
              .contains("jvm_memory_used_bytes")
              .contains("process_uptime_seconds");

          HttpResponse<String> ready = get(url.resolve("health/ready"));
          assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
          assertThat(ready.body())
              .contains("\"kafka\":{\"status\":\"UP\"")
              .contains("\"source\":{\"status\":\"UP\"")
              .contains("\"store\":{\"status\":\"UP\"");
          assertThat(get(url.resolve("health/live")).statusCode()).isEqualTo(200);

          await()
              .atMost(Duration.ofSeconds(30))
              .untilAsserted(
                  () ->
                      assertThat(get(url.resolve("api/dashboard")).body())
                          .contains("\"stored\":" + fixture.server.store().countCurrent("Patient"))
                          .contains("not valid JSON"));

          Set<String> undocumented = new TreeSet<>();
          for (Meter meter : metrics.getMeters()) {
            if (!Meters.documented(meter.getId().getName())) {
              undocumented.add(meter.getId().getName());
            }
          }
          assertThat(undocumented).as("meters missing from docs/METRICS.md").isEmpty();
          for (Meters.Meter declared : Meters.ALL) {
            boolean registered = !metrics.find(declared.name()).meters().isEmpty();
            if (registered && declared.kind() != Meters.Kind.TIMER) {
              assertThat(scrape)
                  .as("%s scraped as documented", declared.name())
                  .contains(declared.prometheusName() + "{");
            }
          }
          ops.detach();
          await() // after the probes' cache period
              .atMost(Duration.ofSeconds(10))
              .untilAsserted(
                  () -> {
                    HttpResponse<String> stopping = get(url.resolve("health/ready"));
                    assertThat(stopping.statusCode()).isEqualTo(503);
                    assertThat(stopping.body()).contains("stopping");
                  });
        }
      }
    }
  }
}

package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Live-change latency against a real FHIR server in polling mode: a steady rate of Patient updates
 * over its REST API, each timed from the server's answer to the sink's commit of the batch that
 * holds it. Run once with the types listed and once with {@code *}, it shows what polling many
 * types costs.
 */
final class JpaLatency {
  private static final Pattern ETAG = Pattern.compile("W/\"(\\d+)\"");

  private JpaLatency() {}

  /**
   * What a run measured.
   *
   * @param types the types captured ({@code *} resolved)
   * @param micros from the server's answer to the store commit
   */
  record Result(String setting, int types, Histogram micros, long written, long missing) {}

  /**
   * @param resourceTypes {@code source.resource-types}
   * @param patientIds Patients to update, in turn
   */
  static Result run(
      String baseUrl,
      String bootstrapServers,
      String resourceTypes,
      List<String> patientIds,
      int rate,
      Duration duration,
      Path dataDir,
      String name,
      PrintStream log)
      throws Exception {
    Map<String, String> raw =
        JpaBenchmark.pipelineSettings(baseUrl, bootstrapServers, resourceTypes, dataDir, name);
    CommitTimer fromWrite = CommitTimer.always();
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    long written = 0;
    try (Pipeline pipeline =
        Pipeline.start(
            Settings.parse(raw), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry())) {
      long loadStart = System.nanoTime();
      while (!pipeline.resourceTypes().stream()
          .allMatch(t -> pipeline.source().publishedUpTo(t).isPresent())) {
        pipeline.checkHealthy();
        Thread.sleep(100);
      }
      log.printf(
          "latency (%s, %d types): first load done in %.1f s; writing %d Patient updates/s for %d"
              + " s%n",
          resourceTypes,
          pipeline.resourceTypes().size(),
          (System.nanoTime() - loadStart) / 1e9,
          rate,
          duration.toSeconds());
      pipeline
          .sink()
          .onCommitted(
              batch -> {
                long now = System.nanoTime();
                for (ChangeEvent event : batch) {
                  fromWrite.committed(event, now);
                }
              });
      long interval = 1_000_000_000L / rate;
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      for (long next = start; next < end; next += interval) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String id = patientIds.get((int) (written % patientIds.size()));
        HttpResponse<Void> response = update(http, baseUrl, id, written);
        long at = System.nanoTime();
        Matcher version = ETAG.matcher(response.headers().firstValue("ETag").orElse(""));
        if (response.statusCode() / 100 != 2 || !version.find()) {
          throw new IllegalStateException(
              "updating Patient/" + id + " answered HTTP " + response.statusCode());
        }
        fromWrite.started(id + "/" + version.group(1), at);
        written++;
      }
      int uncommitted = fromWrite.awaitCommitted(Duration.ofSeconds(30));
      return new Result(
          resourceTypes, pipeline.resourceTypes().size(), fromWrite.micros(), written, uncommitted);
    }
  }

  /** A new version of a Patient, its content replaced by a small synthetic one. */
  private static HttpResponse<Void> update(HttpClient http, String baseUrl, String id, long n)
      throws Exception {
    String body =
        "{\"resourceType\":\"Patient\",\"id\":\""
            + id
            + "\",\"active\":true,\"name\":[{\"family\":\"Latency\",\"given\":[\"Run"
            + n
            + "\"]}]}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/Patient/" + id))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/fhir+json")
            .header("Prefer", "return=minimal")
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding());
  }
}

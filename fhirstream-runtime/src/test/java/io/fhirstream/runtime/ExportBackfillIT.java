package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.api.PipelineException;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ExportOptions;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.kafka.HubConfig;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.kafka.publish.KafkaCursorStore;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code source.backfill=export} end to end: the demo server's asynchronous {@code $export} over
 * HTTP, the real Kafka broker, SQLite. Writes land while the job runs and after it; a stopped
 * pipeline resumes the same job; an expired job is replaced and capture still hands over at the
 * first job's time. Each ends with the store equal to the server.
 */
class ExportBackfillIT {
  private static final int SEEDED = 60;

  @TempDir Path dir;
  private final String prefix = "export" + UUID.randomUUID().toString().substring(0, 8) + ".";

  private DemoFhirServer server(ExportOptions options) {
    DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient").port(0).export(options).build();
    SyntheticPatients patients = new SyntheticPatients(5);
    for (int i = 0; i < SEEDED; i++) {
      server.store().create(patients.next());
    }
    return server.start();
  }

  private Map<String, String> settings(DemoFhirServer server) {
    Map<String, String> settings =
        PipelineFixture.testSettings(server.baseUrl(), prefix, dir.resolve("store.db"));
    settings.put("source.backfill", "export");
    settings.put("source.export.batch-size", "5");
    settings.put("source.export.max-status-wait", "2s");
    return settings;
  }

  private static Pipeline start(Map<String, String> settings) {
    return Pipeline.start(
        Settings.parse(settings), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry());
  }

  private static Workload workload(DemoFhirServer server) {
    return Workload.builder()
        .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
        .generators(new SyntheticPatients(11), null)
        .seed(13)
        .build();
  }

  @Test
  void writesDuringAndAfterTheExportAllReachTheStore() throws Exception {
    try (DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withResourcesPerFile(7)
                .withJobDuration(Duration.ofSeconds(3)))) {
      Workload workload = workload(server);
      try (Pipeline pipeline = start(settings(server))) {
        // The job is running (202 for 3 s): these land after its transactionTime.
        for (int i = 0; i < 40; i++) {
          workload.randomChange();
        }
        awaitCursor(pipeline);
        for (int i = 0; i < 40; i++) {
          workload.randomChange();
        }
        assertStoreEqualsServer(pipeline, server);
      }
      assertThat(server.exportKickOffs()).isEqualTo(1);
      assertThat(server.store().countDeleted("Patient")).as("deletes exercised").isPositive();
    }
  }

  @Test
  void aStoppedPipelineResumesTheSameJob() throws Exception {
    try (DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withResourcesPerFile(5)
                .withFileDelay(Duration.ofMillis(400)))) {
      Map<String, String> settings = settings(server);
      try (Pipeline pipeline = start(settings)) {
        awaitFilesDone(settings, server, 3);
      }
      assertThat(exportState(settings, server)).as("export unfinished").isNotEmpty();
      Workload workload = workload(server);
      for (int i = 0; i < 20; i++) {
        workload.randomChange();
      }
      try (Pipeline pipeline = start(settings)) {
        awaitCursor(pipeline);
        assertStoreEqualsServer(pipeline, server);
      }
      assertThat(server.exportKickOffs()).as("the same job resumed").isEqualTo(1);
      assertThat(exportState(settings, server)).as("state cleared").isEmpty();
    }
  }

  @Test
  void anExpiredJobIsReplacedAndCaptureStartsAtTheFirstJobsTime() throws Exception {
    try (DemoFhirServer server =
        server(
            ExportOptions.defaults()
                .withResourcesPerFile(5)
                .withFileDelay(Duration.ofMillis(400)))) {
      Map<String, String> settings = settings(server);
      try (Pipeline pipeline = start(settings)) {
        awaitFilesDone(settings, server, 3);
      }
      Instant firstTime = Instant.parse(field(exportState(settings, server), "handOver"));
      server.expireExportJobs();
      // Deletions between the two jobs: some of these patients were published by the first job,
      // and the second job's files no longer hold them.
      Workload workload = workload(server);
      for (int i = 0; i < 30; i++) {
        workload.randomChange();
      }
      for (int id = 1; id <= 8; id++) {
        server.store().delete("Patient", Integer.toString(id));
      }
      try (Pipeline pipeline = start(settings)) {
        awaitCursor(pipeline);
        assertThat(server.exportKickOffs()).as("a new job").isEqualTo(2);
        assertThat(FhirSources.cursor(pipeline, "Patient"))
            .as("hand-over at the first job's time, or later once history moved on")
            .isAfterOrEqualTo(firstTime);
        assertStoreEqualsServer(pipeline, server);
      }
    }
  }

  @Test
  void aServerWithoutExportStopsTheStartNamingTheSetting() {
    try (DemoFhirServer server = server(ExportOptions.disabled())) {
      assertThatThrownBy(() -> start(settings(server)))
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("source.backfill=export")
          .hasMessageContaining("does not list the $export operation")
          .hasMessageContaining("source.backfill=search");
    }
  }

  private static void awaitCursor(Pipeline pipeline) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (FhirSources.cursor(pipeline, "Patient") == null) {
      pipeline.checkHealthy();
      assertThat(System.nanoTime()).as("export handed over in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Waits until the durable export progress says at least {@code files} files are published. */
  private void awaitFilesDone(Map<String, String> settings, DemoFhirServer server, int files)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Optional<String> state = exportState(settings, server);
      if (state.isPresent() && !state.get().isEmpty() && filesDone(state.get()) >= files) {
        return;
      }
      assertThat(System.nanoTime()).as("export progressed in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The stored export progress, read as a restarted source would; empty when none or done. */
  private static Optional<String> exportState(Map<String, String> settings, DemoFhirServer server) {
    HubConfig hub = Settings.parse(settings).hub();
    try (var producer = KafkaClients.producer(hub, "test-cursor-reader")) {
      return new KafkaCursorStore(hub, producer)
          .load(server.baseUrl() + "|#export")
          .filter(s -> !s.isEmpty());
    }
  }

  /** How many files the stored progress lists as completely published. */
  private static int filesDone(String json) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"done\":\\[([^\\]]*)\\]").matcher(json);
    return !m.find() || m.group(1).isBlank() ? 0 : m.group(1).split(",").length;
  }

  private static String field(Optional<String> state, String name) {
    String json = state.orElseThrow();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
    assertThat(m.find()).as("%s in %s", name, json).isTrue();
    return m.group(1);
  }

  private void assertStoreEqualsServer(Pipeline pipeline, DemoFhirServer server)
      throws InterruptedException {
    assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90)))
        .as("pipeline drained")
        .isTrue();
    ConsistencyCheck.Result result;
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(dir.resolve("store.db"))) {
      result =
          ConsistencyCheck.compare(server.store().snapshot("Patient"), reader.readAll("Patient"));
    }
    assertThat(result.problems()).isEmpty();
    assertThat(result.consistent()).isTrue();
  }
}

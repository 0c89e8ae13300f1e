package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.analytics.verify.Reconciliation;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.ops.DashboardSource;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.ops.OperatorRuntime;
import io.fhirstream.store.postgres.PostgresTestServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three roles in one pipeline (demo FHIR server over HTTP, real Kafka broker, Kafka Streams)
 * into a store, after a mixed workload of creates, updates, deletes and re-creates of patients and
 * observations: the aggregates and views in the store equal a recomputation from the resources the
 * store holds, and the operator dashboard charts the same aggregates.
 */
class AnalyticsPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void sqliteResultsEqualARecomputationFromTheStore() throws Exception {
    try (Run run = new Run(dir)) {
      run.settings.put("store.sqlite.path", dir.resolve("store.db").toString());
      run.check();
    }
  }

  @Test
  void postgresResultsEqualARecomputationFromTheStore() throws Exception {
    PostgresTestServer postgres = PostgresTestServer.shared();
    Path password = Files.writeString(dir.resolve("pg-password"), postgres.sinkPassword());
    try (Run run = new Run(dir)) {
      run.settings.put("store.type", "postgres");
      run.settings.put("store.postgres.url", postgres.url());
      run.settings.put("store.postgres.user", PostgresTestServer.SINK_ROLE);
      run.settings.put("store.postgres.password-file", password.toString());
      run.settings.put("store.postgres.schema", run.prefix.replace(".", "").toLowerCase());
      run.check();
    }
  }

  /** A demo server with patients and observations, and settings of their own on the test broker. */
  private static final class Run implements AutoCloseable {
    final DemoFhirServer server;
    final Workload workload;
    final String prefix = "an" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".";
    final Map<String, String> settings;

    Run(Path dir) throws Exception {
      server =
          DemoFhirServer.builder().resourceTypes("Patient", "Observation").port(0).build().start();
      workload =
          Workload.builder()
              .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
              .generators(new SyntheticPatients(21), new SyntheticRecords(22))
              .types(List.of("Patient", "Observation"))
              .seed(23)
              .build();
      workload.seed(server.store(), 40);
      settings = PipelineFixture.testSettings(server.baseUrl(), prefix, dir.resolve("store.db"));
      settings.put("source.resource-types", "Patient,Observation");
      settings.put("analytics.application-id", prefix + "analytics");
      settings.put("analytics.topic-prefix", prefix + "an.");
      settings.put("analytics.state-dir", dir.resolve("analytics").toString());
      settings.put("ops.port", "0");
    }

    void check() throws Exception {
      Settings parsed = Settings.parse(settings);
      EnumSet<Role> roles = EnumSet.allOf(Role.class);
      PrometheusMeterRegistry metrics = OperatorRuntime.newRegistry();
      try (OperatorRuntime ops = OperatorRuntime.start(parsed, roles, metrics);
          Pipeline pipeline = Pipeline.start(parsed, roles, metrics)) {
        ops.attach(pipeline);
        for (int i = 0; i < 200; i++) {
          workload.randomChange();
        }
        assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(120)))
            .as("drained")
            .isTrue();
        try (DocumentReader documents = parsed.storeFactory().createReader(parsed.storeConfig());
            ResultReader results = parsed.storeFactory().createResultReader(parsed.storeConfig())) {
          Reconciliation.Report report =
              Reconciliation.run(pipeline.analytics().definitions(), documents, results);
          assertThat(report.differences()).isEmpty();
          assertThat(report.results()).isGreaterThan(20);
          assertThat(report.rows()).isGreaterThan(40);
          long patients = 0;
          for (byte[] document : results.results("patients_by_gender").values()) {
            JsonNode node = JSON.readTree(document);
            patients += node.path("measures").path("patients").asLong();
          }
          assertThat(patients).isEqualTo(server.store().countCurrent("Patient"));
        }
        long expected = server.store().countCurrent("Patient");
        assertThat(dashboardPatients(ops, expected, Duration.ofSeconds(30)))
            .as("patients charted on the dashboard")
            .isEqualTo((double) expected);
        ops.detach();
      }
    }

    /**
     * The sum of the dashboard's patients_by_gender chart once it is the expected one (refreshed).
     */
    private static double dashboardPatients(OperatorRuntime ops, long expected, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      double sum = -1;
      while (System.nanoTime() < deadline) {
        sum =
            ops.dashboard().aggregates().stream()
                .filter(aggregate -> aggregate.name().equals("patients_by_gender"))
                .flatMap(aggregate -> aggregate.groups().stream())
                .mapToDouble(DashboardSource.Group::value)
                .sum();
        if (sum == expected) {
          return sum;
        }
        Thread.sleep(500);
      }
      return sum;
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}

package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ResourceVersion;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} and {@code reconcile} against a real broker, the demo FHIR server and a SQLite
 * store: status reads a stopped pipeline's cursors, lag, dead letters and counts; drift made while
 * the pipeline is stopped (changes on the server, a row deleted and a version lowered in the store)
 * is reported per type, and {@code --repair} fixes it through the hub and the sink.
 */
class StatusReconcileIT {
  private static final int PATIENTS = 12;

  @TempDir Path dir;

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome cli(Map<String, String> settings, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    settings.forEach(
        (key, value) -> {
          all.add("--set");
          all.add(key + "=" + value);
        });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString());
  }

  private static void runUntilDrained(Map<String, String> settings, Set<Role> roles)
      throws Exception {
    try (Pipeline pipeline =
        Pipeline.start(Settings.parse(settings, roles), roles, new SimpleMeterRegistry())) {
      assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(90))).isTrue();
    }
  }

  @Test
  void statusShowsAStoppedPipelineAndReconcileFindsAndRepairsDrift() throws Exception {
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start()) {
      SyntheticPatients generator = new SyntheticPatients(5);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < PATIENTS; i++) {
        ids.add(server.store().create(generator.next()).id());
      }
      String prefix = "rec" + UUID.randomUUID().toString().substring(0, 8) + ".";
      Path database = dir.resolve("store.db");
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("source.fhir.base-url", server.baseUrl());
      settings.put("source.poll-interval", "200ms");
      settings.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
      settings.put("hub.topic-prefix", prefix + "fhir.");
      settings.put("hub.cursor-topic", prefix + "cursors");
      settings.put("hub.dead-letter-topic", prefix + "dlq");
      settings.put("sink.group-id", prefix + "sink");
      settings.put("store.sqlite.path", database.toString());
      settings.put("sink.poll-timeout", "100ms");
      runUntilDrained(settings, EnumSet.of(Role.SOURCE, Role.SINK));

      Outcome status = cli(settings, "status");
      assertThat(status.exitCode()).as(status.err()).isZero();
      assertThat(status.out())
          .contains("Patient")
          .contains("(" + server.baseUrl() + ")")
          .contains("sink group " + prefix + "sink: lag 0")
          .contains(prefix + "fhir.Patient-0")
          .contains("dead letters (topic " + prefix + "dlq): 0")
          .containsPattern("Patient +" + PATIENTS + " \\(0 deleted\\)");

      Outcome inSync = cli(settings, "reconcile");
      assertThat(inSync.exitCode()).as(inSync.out() + inSync.err()).isZero();
      assertThat(inSync.out()).contains("in sync: the store equals the server");

      // Drift while the pipeline is stopped: the server changes, and the store is damaged.
      server.store().create(generator.next()); // missing
      Patient updated = new Patient();
      updated.setId("Patient/" + ids.get(0));
      updated.addName().setFamily("Qzupdated");
      server.store().update(updated); // stale
      server.store().delete("Patient", ids.get(1)); // deleted on the server
      try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + database)) {
        try (PreparedStatement delete =
            sqlite.prepareStatement("DELETE FROM Patient WHERE id = ?")) {
          delete.setString(1, ids.get(2)); // missing from the store
          delete.executeUpdate();
        }
      }

      Outcome drift = cli(settings, "reconcile", "--list");
      assertThat(drift.exitCode())
          .as(drift.out() + drift.err())
          .isEqualTo(ReconcileCommand.EXIT_DRIFT);
      assertThat(drift.out())
          .contains("Patient")
          .contains("2 missing, 1 stale, 1 deleted on the server, 0 ahead of the server, 0 unknown")
          .contains("stale: " + ids.get(0))
          .contains("deleted: " + ids.get(1))
          .doesNotContain("Qzupdated");

      Outcome repair = cli(settings, "reconcile", "--repair");
      assertThat(repair.exitCode()).as(repair.out() + repair.err()).isZero();
      assertThat(repair.out()).contains("4 events re-published to the hub");
      // Only the sink runs: the store is repaired by what reconcile published, not by capture.
      runUntilDrained(settings, EnumSet.of(Role.SINK));

      Outcome after = cli(settings, "reconcile");
      assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
      assertThat(after.out()).contains("in sync");
      ResourceVersion latest = server.store().latest("Patient", ids.get(0)).orElseThrow();
      assertThat(latest.versionId()).isEqualTo(2);
    }
  }
}

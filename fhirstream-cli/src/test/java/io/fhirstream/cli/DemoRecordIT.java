package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.runtime.TestBroker;
import io.fhirstream.store.postgres.PostgresTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fhirstream demo} with whole patient records ends with store == server for every type. */
class DemoRecordIT {
  @TempDir Path dir;

  private record Outcome(int exitCode, String out, String err) {}

  private Outcome demo(String... options) {
    String prefix = "demo" + UUID.randomUUID().toString().substring(0, 6) + ".";
    List<String> args = new ArrayList<>(List.of("demo", "--patients", "15", "--rate", "50"));
    args.addAll(List.of("--duration", "3s", "--data-dir", dir.toString()));
    args.addAll(List.of("--set", "kafka.bootstrap.servers=" + TestBroker.bootstrapServers()));
    args.addAll(List.of("--set", "hub.topic-prefix=" + prefix));
    args.addAll(List.of("--set", "hub.cursor-topic=" + prefix + "cursors"));
    args.addAll(List.of("--set", "hub.dead-letter-topic=" + prefix + "dlq"));
    args.addAll(List.of("--set", "sink.group-id=" + prefix + "sink"));
    args.addAll(List.of(options));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    PrintStream stdout = System.out;
    int code;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      code =
          Main.execute(
              new PrintWriter(new StringWriter()),
              new PrintWriter(err, true),
              args.toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
    return new Outcome(code, captured.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void recordDemoStreamsEveryTypeAndChecksEachAgainstTheServer() {
    Outcome outcome = demo("--record");

    assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
    assertThat(outcome.out())
        .contains("streaming Patient, Encounter, Observation, Condition")
        .contains("Observation: ")
        .containsPattern("consistency: OK: the store equals the server \\([0-9,]+ ids of 4 types")
        .containsPattern("analytics: OK: [0-9,]+ results of 7 aggregates");
  }

  @Test
  void starInTheDemoResolvesFromTheDemoServer() {
    Outcome outcome = demo("--resource-types", "*");

    assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
    assertThat(outcome.out())
        .contains("streaming Condition, Encounter, Observation, Patient")
        .contains("ids of 4 types");
  }

  /** The check reads any store back through its own reader: here a real PostgreSQL. */
  @Test
  void onPostgresTheDemoEndsWithTheStoreEqualToTheServer() {
    PostgresTestServer postgres = PostgresTestServer.shared();
    String schema = "demo_" + UUID.randomUUID().toString().substring(0, 6);
    Outcome outcome =
        demo(
            "--record",
            "--set",
            "store.type=postgres",
            "--set",
            "store.postgres.url=" + postgres.url(),
            "--set",
            "store.postgres.user=" + PostgresTestServer.SINK_ROLE,
            "--set",
            "store.postgres.password=" + postgres.sinkPassword(),
            "--set",
            "store.postgres.schema=" + schema);

    assertThat(outcome.exitCode()).as(outcome.out() + outcome.err()).isZero();
    assertThat(outcome.out())
        .contains("→ store postgres")
        .containsPattern("consistency: OK: the store equals the server \\([0-9,]+ ids of 4 types");
  }

  @Test
  void recordAndResourceTypesTogetherAreRefused() {
    Outcome outcome = demo("--record", "--resource-types", "Patient");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("--record already means all four types");
  }

  @Test
  void aTypeTheDemoCannotGenerateIsRefusedBeforeAnythingStarts() {
    Outcome outcome = demo("--resource-types", "Patient,Medication");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("--resource-types: the demo generates Patient, Encounter, Observation, Condition")
        .contains("not 'Medication'");
  }
}

package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fhirstream.runtime.TestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad setting stops the program at start-up with one line naming the problem and the fix. */
class BadConfigurationIT {
  @TempDir Path dir;
  private final String prefix = "bad" + UUID.randomUUID().toString().substring(0, 6) + ".";

  private record Outcome(int exitCode, String err) {}

  private Outcome run(String... settings) {
    return run(List.of(), settings);
  }

  /** A sink alone: it meets Kafka and the store at start, and no FHIR server. */
  private Outcome runSink(String... settings) {
    return run(List.of("--roles", "sink"), settings);
  }

  private Outcome run(List<String> options, String... settings) {
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(options);
    args.addAll(List.of("--set", "hub.topic-prefix=" + prefix));
    args.addAll(List.of("--set", "hub.cursor-topic=" + prefix + "cursors"));
    args.addAll(List.of("--set", "hub.dead-letter-topic=" + prefix + "dlq"));
    args.addAll(List.of("--set", "store.sqlite.path=" + dir.resolve("ok.db")));
    args.addAll(List.of("--set", "ops.port=0"));
    for (String setting : settings) {
      args.add("--set");
      args.add(setting);
    }
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            args.toArray(String[]::new));
    return new Outcome(code, err.toString());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void unknownKeyIsNamedWithTheClosestKnownOne() {
    Outcome outcome = run("source.fhir.base-urll=http://127.0.0.1:1/fhir");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("source.fhir.base-urll: unknown setting; did you mean 'source.fhir.base-url'?");
  }

  @Test
  void everyProblemIsReportedAtOnceEachOnItsOwnLine() {
    Outcome outcome =
        run(
            "kafka.bootstrap.servers=127.0.0.1:1",
            "source.fhir.base-urll=http://127.0.0.1:1/fhir",
            "source.poll-interval=-1s",
            "hub.partitions=0");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().lines())
        .containsExactlyInAnyOrder(
            "fhirstream: configuration error: source.fhir.base-urll: unknown setting; did you"
                + " mean 'source.fhir.base-url'?",
            "fhirstream: configuration error: source.fhir.base-url: is required: set it in the"
                + " configuration file or as FHIRSTREAM_SOURCE_FHIR_BASE_URL (Base URL of the"
                + " FHIR R4 server, e.g. https://fhir.example.org/fhir.)",
            "fhirstream: configuration error: source.poll-interval: '-1s' is not a duration such"
                + " as 500ms, 2s, 5m or PT1S",
            "fhirstream: configuration error: hub.partitions: must be at least 1");
  }

  @Test
  void aMisspeltKafkaSettingStopsTheStartInsteadOfStartingALocalBroker() {
    Outcome outcome =
        run("source.fhir.base-url=http://127.0.0.1:1/fhir", "kafka.bootstrap.server=kafka:9092");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .contains(
            "kafka.bootstrap.server: unknown setting; did you mean 'kafka.bootstrap.servers'?")
        .contains("kafka.bootstrap.servers: is required")
        .contains("embedded.kafka.enabled=true");
  }

  @Test
  void aBadAggregateDefinitionStopsTheAnalyticsRoleNamingFileAggregateAndElement()
      throws Exception {
    Path aggregates = java.nio.file.Files.createDirectories(dir.resolve("defs/aggregates"));
    java.nio.file.Files.writeString(
        aggregates.resolve("by_colour.json"),
        "{\"name\":\"by_colour\",\"view\":\"patient_demographics\",\"groupBy\":[\"colour\"],"
            + "\"measures\":[{\"name\":\"n\",\"function\":\"count\"}]}");
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "run",
            "--roles",
            "analytics",
            "--set",
            "source.fhir.base-url=http://127.0.0.1:1/fhir",
            "--set",
            "analytics.definitions=" + dir.resolve("defs"),
            "--set",
            "store.sqlite.path=" + dir.resolve("ok.db"),
            "--set",
            "kafka.bootstrap.servers=" + TestBroker.bootstrapServers());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "configuration error: analytics.definitions: Invalid aggregate 'by_colour'"
                + " (by_colour.json) at groupBy[0]: view patient_demographics has no column"
                + " 'colour'");
  }

  @Test
  void missingFhirServerUrlSaysHowToSetIt() {
    Outcome outcome = run();
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .contains("source.fhir.base-url: is required")
        .contains("FHIRSTREAM_SOURCE_FHIR_BASE_URL");
  }

  @Test
  void unreachableFhirServerIsNamed() throws Exception {
    Outcome outcome =
        run(
            "source.fhir.base-url=http://127.0.0.1:" + closedPort() + "/fhir",
            "kafka.bootstrap.servers=" + TestBroker.bootstrapServers());
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("cannot reach the FHIR server at http://127.0.0.1:")
        .contains("check source.fhir.base-url");
  }

  @Test
  void nonR4ServerIsRefused() throws Exception {
    HttpServer stu3 =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] statement =
        ("{\"resourceType\":\"CapabilityStatement\",\"status\":\"active\",\"kind\":\"instance\","
                + "\"fhirVersion\":\"3.0.1\",\"format\":[\"json\"],\"rest\":[{\"mode\":\"server\","
                + "\"resource\":[{\"type\":\"Patient\",\"interaction\":[{\"code\":\"history-type\"}]}]}]}")
            .getBytes(StandardCharsets.UTF_8);
    stu3.createContext(
        "/fhir/metadata",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
          exchange.sendResponseHeaders(200, statement.length);
          exchange.getResponseBody().write(statement);
          exchange.close();
        });
    stu3.start();
    try {
      Outcome outcome =
          run(
              "source.fhir.base-url=http://127.0.0.1:" + stu3.getAddress().getPort() + "/fhir",
              "kafka.bootstrap.servers=" + TestBroker.bootstrapServers());
      assertThat(outcome.exitCode()).isEqualTo(1);
      assertThat(outcome.err()).contains("speaks FHIR 3.0.1").contains("FHIR R4 (4.0.x) only");
    } finally {
      stu3.stop(0);
    }
  }

  @Test
  void unwritableStorePathIsNamed() {
    Outcome outcome =
        runSink(
            "kafka.bootstrap.servers=" + TestBroker.bootstrapServers(),
            "store.sqlite.path=/proc/fhirstream-cannot-write-here/store.db");
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("/proc/fhirstream-cannot-write-here")
        .contains("store.sqlite.path");
  }

  @Test
  void unreachableKafkaIsNamed() throws Exception {
    int port = closedPort();
    Outcome outcome =
        runSink(
            "kafka.bootstrap.servers=127.0.0.1:" + port,
            "kafka.request.timeout.ms=2000",
            "kafka.default.api.timeout.ms=3000");
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("cannot reach Kafka at 127.0.0.1:" + port)
        .contains("kafka.bootstrap.servers");
  }

  @Test
  void secretsNeverAppearInErrors() throws Exception {
    String secret = "S3cretCanary" + UUID.randomUUID().toString().substring(0, 8);
    Outcome outcome =
        runSink(
            "kafka.bootstrap.servers=127.0.0.1:" + closedPort(),
            "kafka.request.timeout.ms=2000",
            "kafka.default.api.timeout.ms=3000",
            "kafka.security.protocol=SASL_PLAINTEXT",
            "kafka.sasl.mechanism=PLAIN",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"u\" password=\""
                + secret
                + "\";");
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err()).contains("cannot reach Kafka").doesNotContain(secret);
  }
}

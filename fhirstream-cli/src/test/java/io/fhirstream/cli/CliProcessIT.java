package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.runtime.TestBroker;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged CLI in processes of its own, as an operator runs it: what its logs hold at every
 * level and format, how it gives up on an unreachable Kafka, how it stops on SIGTERM, and that the
 * demo serves its operator endpoint with real numbers.
 */
class CliProcessIT {
  private static final String USER = "fhirstream-reader";
  private static final String PASSWORD =
      "Qz-s3cret-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String FAMILY =
      "Qzcanaryfamily" + UUID.randomUUID().toString().substring(0, 6);
  private static final String BIRTH_DATE = "1937-04-23";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static DemoFhirServer fhir;

  @TempDir Path dir;

  @BeforeAll
  static void startFhirServer() {
    fhir = DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start();
    Patient canary = new Patient();
    canary.addName().setFamily(FAMILY).addGiven("Qzgiven");
    canary.setGender(AdministrativeGender.FEMALE);
    canary.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(BIRTH_DATE));
    fhir.store().create(canary);
  }

  @AfterAll
  static void stopFhirServer() {
    if (fhir != null) {
      fhir.close();
    }
  }

  /** Settings of a pipeline of its own on the shared test broker. */
  private List<String> runArgs(String... extra) {
    String prefix = "cli" + UUID.randomUUID().toString().substring(0, 8) + ".";
    List<String> args = new ArrayList<>(List.of("run"));
    for (String setting :
        List.of(
            "source.fhir.base-url=" + fhir.baseUrl(),
            "source.poll-interval=200ms",
            "kafka.bootstrap.servers=" + TestBroker.bootstrapServers(),
            "hub.topic-prefix=" + prefix + "fhir.",
            "hub.cursor-topic=" + prefix + "cursors",
            "hub.dead-letter-topic=" + prefix + "dlq",
            "sink.group-id=" + prefix + "sink",
            "store.sqlite.path=" + dir.resolve("store.db"),
            "ops.port=0")) {
      args.add("--set");
      args.add(setting);
    }
    for (String setting : extra) {
      args.add("--set");
      args.add(setting);
    }
    return args;
  }

  private long stored() {
    if (!Files.exists(dir.resolve("store.db"))) {
      return 0;
    }
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(dir.resolve("store.db"))) {
      return reader.resourceTypes().contains("Patient") ? reader.count("Patient") : 0;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  @ParameterizedTest(name = "FHIRSTREAM_LOG_LEVEL={0}, FHIRSTREAM_LOG_FORMAT={1}")
  @CsvSource({"DEBUG, plain", "TRACE, plain", "TRACE, json"})
  void noCredentialOrPatientDataReachesTheLogAtAnyLevel(String level, String format)
      throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    try (CliProcess run =
        CliProcess.start(
            dir,
            Map.of(
                "FHIRSTREAM_LOG_LEVEL", level,
                "FHIRSTREAM_LOG_FORMAT", format,
                "FHIRSTREAM_SOURCE_FHIR_AUTH_PASSWORD", PASSWORD),
            runArgs("source.fhir.auth=basic", "source.fhir.auth.username=" + USER))) {
      assertThat(run.await(text -> stored() >= 1, Duration.ofSeconds(120)))
          .as("the canary patient streamed into the store; log:\n%s", run.err())
          .isTrue();
      run.terminate();
      run.waitFor(Duration.ofSeconds(60));
      String log = run.out() + run.err();
      // Below INFO took effect (fhirstream logs at DEBUG; the libraries' TRACE loggers are pinned).
      assertThat(log).as("the level took effect").contains("DEBUG");
      for (String canary : List.of(PASSWORD, basic, FAMILY, "Qzgiven", BIRTH_DATE)) {
        assertThat(log).as("a log line holds %s", canary).doesNotContain(canary);
      }
      if (format.equals("json")) {
        ObjectMapper json = new ObjectMapper();
        for (String line : run.err().lines().filter(l -> !l.isBlank()).toList()) {
          JsonNode entry = json.readTree(line);
          assertThat(entry.path("@timestamp").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*");
          assertThat(entry.has("level") && entry.has("logger_name") && entry.has("message"))
              .as(line)
              .isTrue();
        }
      } else {
        assertThat(run.err().lines().filter(l -> l.contains(" INFO ")).findFirst().orElseThrow())
            .as("plain lines start with the date")
            .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*");
      }
    }
  }

  @Test
  void anUnreachableKafkaFailsAtTheStatedTimeoutWithOneWarningPerWindow() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<String> args =
        runArgs("kafka.default.api.timeout.ms=8000", "kafka.request.timeout.ms=4000");
    args.set(
        args.indexOf("kafka.bootstrap.servers=" + TestBroker.bootstrapServers()),
        "kafka.bootstrap.servers=127.0.0.1:" + port);
    try (CliProcess run = CliProcess.start(dir, Map.of(), args)) {
      assertThat(run.await(text -> text.contains("source: capturing"), Duration.ofSeconds(120)))
          .isTrue();
      long contact = System.nanoTime();
      int exit = run.waitFor(Duration.ofSeconds(120));
      Duration tookAfterContact = Duration.ofNanos(System.nanoTime() - contact);
      assertThat(exit).isEqualTo(1);
      String err = run.err();
      assertThat(err).contains("cannot reach Kafka at 127.0.0.1:" + port + " within 8 s");
      assertThat(tookAfterContact).as("gives up when it says").isLessThan(Duration.ofSeconds(20));
      assertThat(err.lines().filter(l -> l.contains("could not be established")).count())
          .as("one warning per reconnection window, not one per attempt:\n%s", err)
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void aSinkAloneNeedsNoFhirSettingAndSigtermEndsWithAStoppedLine() throws Exception {
    List<String> args = runArgs();
    int url = args.indexOf("source.fhir.base-url=" + fhir.baseUrl());
    args.remove(url);
    args.remove(url - 1);
    args.addAll(List.of("--roles", "sink"));
    try (CliProcess run = CliProcess.start(dir, Map.of(), args)) {
      assertThat(run.await(text -> text.contains("sink: "), Duration.ofSeconds(120)))
          .as(run.err())
          .isTrue();
      run.terminate();
      run.waitFor(Duration.ofSeconds(90));
      assertThat(run.err().lines())
          .as(run.err())
          .anyMatch(line -> line.endsWith("RunCommand - stopped"));
    }
  }

  @Test
  void theDemoPrintsItsEndpointAndServesMetricsWithThePipelinesNumbers() throws Exception {
    try (CliProcess demo =
        CliProcess.start(
            dir,
            Map.of(),
            List.of(
                "demo",
                "--patients",
                "20",
                "--duration",
                "20s",
                "--data-dir",
                dir.resolve("demo").toString()))) {
      Pattern endpoint =
          Pattern.compile("operator endpoint: dashboard (http://127\\.0\\.0\\.1:\\d+/)");
      assertThat(demo.await(text -> endpoint.matcher(text).find(), Duration.ofSeconds(180)))
          .as(demo.out() + demo.err())
          .isTrue();
      Matcher found = endpoint.matcher(demo.out());
      assertThat(found.find()).as("printed on stdout").isTrue();
      URI url = URI.create(found.group(1));
      assertThat(demo.out())
          .contains(url + "metrics")
          .contains(url + "health/live")
          .contains(url + "health/ready");

      Pattern written =
          Pattern.compile("(?m)^fhirstream_sink_written_total\\{type=\"Patient\"} ([0-9.]+)$");
      double[] count = {0};
      assertThat(
              demo.await(
                  text -> {
                    try {
                      Matcher m = written.matcher(get(url.resolve("metrics")).body());
                      count[0] = m.find() ? Double.parseDouble(m.group(1)) : 0;
                      return count[0] >= 20;
                    } catch (Exception e) {
                      return false;
                    }
                  },
                  Duration.ofSeconds(60)))
          .as("the seeded patients counted as written")
          .isTrue();
      assertThat(get(url.resolve("health/ready")).statusCode()).isEqualTo(200);
      assertThat(get(url.resolve("")).body()).contains("<html");
      assertThat(demo.waitFor(Duration.ofSeconds(180))).as(demo.out()).isZero();
      assertThat(demo.out()).contains("consistency: OK");
    }
  }

  private static HttpResponse<String> get(URI url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

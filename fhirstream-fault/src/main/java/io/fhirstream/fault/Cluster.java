package io.fhirstream.fault;

import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.FhirServerState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes under test: one Kafka broker and one FHIR server shared by the scenarios, and the
 * pipeline processes each scenario starts. Scenarios keep apart by topic prefix, group and store.
 */
final class Cluster implements AutoCloseable {
  /** Must never appear in a log line or an exception message. */
  static final String SECRET_CANARY = "Qzsecretcanary8d1e";

  private final Path jar;
  final Path workDir;
  final StoreUnderTest store;
  final int brokerPort;
  private ManagedProcess broker;
  private ManagedProcess fhir;
  String fhirUrl;
  private final List<ManagedProcess> pipelines = new ArrayList<>();

  Cluster(Path jar, Path workDir, StoreUnderTest store) throws IOException {
    this.jar = jar;
    this.workDir = workDir;
    this.store = store;
    Files.createDirectories(workDir);
    this.brokerPort = freePort();
  }

  Cluster start() throws IOException, InterruptedException {
    startBroker();
    fhir =
        process(
                "fhir-server",
                List.of("demo-fhir-server", "--port", Integer.toString(freePort())),
                List.of())
            .start("ready ", Duration.ofSeconds(120));
    String log = ManagedProcess.readAll(workDir.resolve("fhir-server.log"));
    fhirUrl = log.substring(log.indexOf("ready ") + 6).lines().findFirst().orElseThrow().trim();
    return this;
  }

  String bootstrap() {
    return "127.0.0.1:" + brokerPort;
  }

  void startBroker() throws IOException, InterruptedException {
    broker =
        process(
                "broker",
                List.of(
                    "broker",
                    "--port",
                    Integer.toString(brokerPort),
                    "--data-dir",
                    workDir.resolve("kafka").toString()),
                List.of())
            .start("ready ", Duration.ofSeconds(120));
  }

  /** Restarts the broker on the same port and log directory. */
  void restartBroker(boolean hard, Duration downtime) throws IOException, InterruptedException {
    if (hard) {
      broker.killHard();
    } else {
      broker.stopClean();
    }
    Thread.sleep(downtime.toMillis());
    startBroker();
  }

  /** Pipeline settings for one scenario: its own topics, group and store. */
  Map<String, String> settings(String scenario, String fhirBaseUrl) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("source.fhir.base-url", fhirBaseUrl);
    settings.put("source.poll-interval", "250ms");
    settings.put("source.page-size", "200");
    settings.put("source.http.request-timeout", "5s");
    settings.put("source.retry.max-backoff", "3s");
    settings.put("kafka.bootstrap.servers", bootstrap());
    settings.put("hub.topic-prefix", scenario + ".fhir.");
    settings.put("hub.cursor-topic", scenario + ".cursors");
    settings.put("hub.dead-letter-topic", scenario + ".dead-letters");
    settings.put("sink.group-id", scenario + ".sink");
    // Each pipeline's operator endpoint on a free port: two may overlap while one is killed.
    settings.put("ops.port", "0");
    settings.putAll(store.settings(scenario));
    settings.put("kafka.consumer.max.poll.interval.ms", "10000");
    settings.put("kafka.consumer.session.timeout.ms", "6000");
    settings.put("kafka.consumer.heartbeat.interval.ms", "1000");
    // Sends block at most 5 s while the broker is away, so outages exercise the failure paths.
    settings.put("kafka.producer.max.block.ms", "5000");
    // A secret the clients hold but never use on this PLAINTEXT broker: scanned for in every log.
    settings.put("kafka.ssl.key.password", SECRET_CANARY);
    return settings;
  }

  /** Starts `fhirstream run` with the settings, optionally armed to halt at a crash point. */
  ManagedProcess pipeline(
      String scenario, Map<String, String> settings, String crashAt, String... extra)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("run"));
    settings.forEach(
        (k, v) -> {
          args.add("--set");
          args.add(k + "=" + v);
        });
    args.addAll(List.of(extra));
    List<String> jvm =
        crashAt == null ? List.of() : List.of("-Dfhirstream.test.crash-at=" + crashAt);
    ManagedProcess pipeline = process(scenario + "-pipeline", args, jvm).start(null, Duration.ZERO);
    pipelines.add(pipeline);
    return pipeline;
  }

  private ManagedProcess process(String name, List<String> args, List<String> jvm) {
    return new ManagedProcess(jar, "512m", workDir.resolve(name + ".log"), args, jvm);
  }

  /**
   * Waits until the store equals the server (the pipeline drained), or the timeout passes, and
   * returns the last verdict.
   */
  Verdict awaitConsistent(
      Map<String, String> storeSettings, RegressionWatch watch, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, ConsistencyCheck.Expected> server = FhirServerState.read(fhirUrl, "Patient");
    Verdict verdict;
    do {
      verdict =
          Verdict.compare(
              server,
              StoreUnderTest.patients(storeSettings),
              watch == null ? 0 : watch.regressions());
      if (verdict.passed()) {
        return verdict;
      }
      Thread.sleep(1000);
    } while (System.nanoTime() < deadline);
    return verdict;
  }

  /** Waits for the scenario's store to equal the server; see the other overload. */
  Verdict awaitConsistent(String scenario, RegressionWatch watch, Duration timeout)
      throws InterruptedException {
    return awaitConsistent(store.settings(scenario), watch, timeout);
  }

  /** Every log the processes wrote, for the canary scan. */
  List<Path> logs() throws IOException {
    try (var files = Files.list(workDir)) {
      return files.filter(p -> p.toString().endsWith(".log")).toList();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedProcess pipeline : pipelines) {
      pipeline.close();
    }
    if (fhir != null) {
      fhir.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

package io.fhirstream.cli;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.analytics.verify.Reconciliation;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.patients.SyntheticRecords;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.RuntimeConfig;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.ops.OperatorRuntime;
import io.fhirstream.source.SourceConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The whole pipeline on one machine: a demo FHIR server with synthetic patients (and, with {@code
 * --resource-types} or {@code --record}, their encounters, observations and conditions), a real
 * Kafka broker in-process, the sink into SQLite, the analytics role keeping the built-in views and
 * aggregates current beside it; a live workload with the aggregates shown as they change; then the
 * proof that the store equals the server, type by type, and that the aggregates equal a
 * recomputation from the store.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole pipeline in this JVM: a demo FHIR R4 server seeded with synthetic patients"
          + " (and their records with --record), an embedded Kafka broker, the SQLite store and"
          + " the analytics role (live aggregates). While it streams, resources of every type are"
          + " created, updated and deleted; at the end the store is checked against the server,"
          + " every type, and the aggregates against a recomputation from the store."
    })
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--patients",
      defaultValue = "200",
      description = "Patients seeded at start (default: ${DEFAULT-VALUE}).")
  int patients;

  @Option(
      names = "--resource-types",
      split = ",",
      paramLabel = "TYPE",
      description =
          "Types to seed, change and stream, from Patient, Encounter, Observation, Condition"
              + " (default: Patient). * streams source.resource-types=*, resolved from the demo"
              + " server's CapabilityStatement, which then serves all four.")
  List<String> resourceTypes;

  @Option(
      names = "--record",
      description =
          "Whole patient records: same as --resource-types Patient,Encounter,Observation,Condition.")
  boolean record;

  @Option(
      names = "--rate",
      defaultValue = "20",
      description = "Changes per second while streaming (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "How long changes are made, e.g. 30s or 2m (default: ${DEFAULT-VALUE}).",
      converter = DurationConverter.class)
  Duration duration;

  @Option(
      names = "--data-dir",
      defaultValue = "fhirstream-data",
      description = "Where the broker's log and the SQLite file go (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--keep-data",
      description =
          "Keep what a previous demo left in the data directory instead of starting clean.")
  boolean keepData;

  @Option(
      names = "--fhir-port",
      defaultValue = "0",
      description = "Port of the demo FHIR server on 127.0.0.1; 0 picks a free one.")
  int fhirPort;

  @Mixin ConfigOptions config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    OptionChecks.atLeast(spec, "--patients", patients, 0);
    OptionChecks.atLeast(spec, "--rate", rate, 1);
    OptionChecks.positive(spec, "--duration", duration);
    OptionChecks.port(spec, "--fhir-port", fhirPort);
    OptionChecks.portFree("--fhir-port", fhirPort);
    List<String> types = types();
    if (!keepData) {
      clean(dataDir);
    }
    boolean all = types.contains(SourceConfig.ALL_TYPES);
    List<String> generated = all ? SyntheticRecords.TYPES : types;
    // Records refer to their patients, so the server always serves Patient.
    Set<String> served = new LinkedHashSet<>(List.of("Patient"));
    served.addAll(generated);
    try (DemoFhirServer server =
        DemoFhirServer.builder()
            .resourceTypes(List.copyOf(served))
            .port(fhirPort)
            .build()
            .start()) {
      Workload workload =
          Workload.builder()
              .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
              .generators(new SyntheticPatients(42), new SyntheticRecords(43))
              .types(generated)
              .seed(7)
              .build();
      workload.seed(server.store(), patients);
      out.printf(
          "demo FHIR server at %s with %,d synthetic patients%s%n",
          server.baseUrl(),
          patients,
          served.size() == 1 ? "" : " and their records (" + counts(server, served, false) + ")");
      Path database = dataDir.resolve("fhirstream.db");
      Map<String, String> defaults = new LinkedHashMap<>();
      defaults.put("source.fhir.base-url", server.baseUrl());
      defaults.put(
          "source.resource-types", all ? SourceConfig.ALL_TYPES : String.join(",", generated));
      defaults.put("embedded.kafka.data-dir", dataDir.resolve("kafka").toString());
      defaults.put("store.sqlite.path", database.toString());
      // The demo's endpoint on a free port, so that it never clashes with a running instance.
      defaults.put("ops.port", "0");
      defaults.put("analytics.state-dir", dataDir.resolve("analytics").toString());
      // Demos sharing one broker (their own topic prefixes) must not share the analytics role's
      // application id, internal topics or output topics either.
      String hubPrefix = config.raw(Map.of()).getOrDefault("hub.topic-prefix", "fhir.");
      if (!hubPrefix.equals("fhir.")) {
        defaults.put(
            "analytics.application-id",
            "fhirstream-analytics-" + hubPrefix.replaceAll("[^A-Za-z0-9-]", ""));
        defaults.put("analytics.topic-prefix", hubPrefix + "analytics.");
      }
      Map<String, String> raw = config.raw(defaults);
      if (!raw.containsKey("kafka.bootstrap.servers")
          && raw.keySet().stream().noneMatch(key -> key.startsWith("hub.eventhubs."))) {
        raw.putIfAbsent(RuntimeConfig.EMBEDDED_KAFKA, "true");
      }
      Settings settings = Settings.parse(raw);
      Set<Role> roles = EnumSet.allOf(Role.class);
      PrometheusMeterRegistry metrics = OperatorRuntime.newRegistry();
      long started = System.nanoTime();
      try (OperatorRuntime ops = OperatorRuntime.start(settings, roles, metrics);
          Pipeline pipeline = Pipeline.start(settings, roles, metrics)) {
        ops.attach(pipeline);
        try {
          boolean sqlite = settings.storeFactory().name().equals("sqlite");
          out.printf(
              "pipeline running: %s → Kafka %s → %s%n",
              server.baseUrl(),
              pipeline.hub().client().get("bootstrap.servers"),
              sqlite ? "SQLite " + database : "store " + settings.storeFactory().name());
          List<String> streamed = pipeline.resourceTypes();
          out.println("streaming " + String.join(", ", streamed));
          ops.url()
              .ifPresent(
                  url ->
                      out.printf(
                          "operator endpoint: dashboard %s, metrics %smetrics, health %shealth/live"
                              + " and %shealth/ready%n",
                          url, url, url, url));
          out.printf(
              "analytics: %d views and %d aggregates kept current (%s), results in the store and"
                  + " on topics %s*%n",
              pipeline.analytics().definitions().views().size(),
              pipeline.analytics().definitions().aggregates().size(),
              pipeline.analytics().guarantee(),
              pipeline.analytics().topics().outputPrefix());
          Progress progress = new Progress(metrics, pipeline, out, System.console() != null);
          int analytics;
          try (ResultReader aggregates =
              settings.storeFactory().createResultReader(settings.storeConfig())) {
            runWorkload(workload, pipeline, progress, aggregates);
          }
          Instant lastChange = Instant.now();
          out.println();
          out.println("workload done (" + workload.summary() + "); draining...");
          boolean drained = pipeline.awaitDrained(lastChange, Duration.ofMinutes(2));
          double seconds = (System.nanoTime() - started) / 1e9;
          progress.print("final: ");
          out.println();
          long written = progress.count("fhirstream.sink.written");
          out.printf(
              "summary: %,d changes written in %.1f s (%,.0f changes/s)%n",
              written, seconds, written / seconds);
          out.println("server: " + counts(server, streamed, true));
          // The store is read back through its own reader, whichever store it is.
          ConsistencyCheck.Result check;
          try (DocumentReader reader =
              settings.storeFactory().createReader(settings.storeConfig())) {
            check =
                ConsistencyCheck.compareAll(streamed, server.store()::snapshot, reader::readAll);
          }
          if (drained && check.consistent()) {
            out.printf(
                "consistency: OK: the store equals the server (%,d ids of %d type%s, every version"
                    + " and body)%n",
                check.checked(), streamed.size(), streamed.size() == 1 ? "" : "s");
          } else {
            out.printf(
                "consistency: FAILED: %,d differences%s%n",
                check.differences(),
                drained ? "" : " (the pipeline did not drain within 2 minutes)");
            check.problems().forEach(p -> out.println("  " + p));
          }
          try (ResultReader aggregates =
                  settings.storeFactory().createResultReader(settings.storeConfig());
              DocumentReader documents =
                  settings.storeFactory().createReader(settings.storeConfig())) {
            out.println(LiveAggregates.line(aggregates));
            analytics =
                AnalyticsCommand.print(
                    Reconciliation.run(pipeline.analytics().definitions(), documents, aggregates),
                    out);
          }
          if (sqlite) {
            out.printf(
                "patients by gender: sqlite3 %s \"SELECT json_extract(document, '$.group.gender'),"
                    + " json_extract(document, '$.measures.patients') FROM aggregate_results"
                    + " WHERE aggregate = 'patients_by_gender' AND deleted = 0\"%n",
                database);
          }
          if (sqlite && streamed.contains("Patient")) {
            out.printf(
                "look at the data: sqlite3 %s \"SELECT id, version_id, json_extract(resource,"
                    + " '$.name[0].family') FROM Patient WHERE deleted = 0 LIMIT 5\"%n",
                database);
          }
          if (sqlite && streamed.contains("Observation")) {
            out.printf(
                "observations per patient: sqlite3 %s \"SELECT json_extract(resource,"
                    + " '$.subject.reference'), count(*) FROM Observation WHERE deleted = 0"
                    + " GROUP BY 1 LIMIT 5\"%n",
                database);
          }
          return drained && check.consistent() && analytics == 0 ? 0 : 1;
        } finally {
          ops.detach();
        }
      }
    }
  }

  private List<String> types() {
    if (record && resourceTypes != null) {
      throw new ParameterException(
          spec.commandLine(), "--record already means all four types: drop --resource-types");
    }
    List<String> types =
        record
            ? SyntheticRecords.TYPES
            : resourceTypes == null ? List.of("Patient") : resourceTypes;
    if (types.contains(SourceConfig.ALL_TYPES)) {
      if (types.size() > 1) {
        throw new ParameterException(spec.commandLine(), "--resource-types: use * alone");
      }
      return types;
    }
    for (String type : types) {
      if (!SyntheticRecords.TYPES.contains(type)) {
        throw new ParameterException(
            spec.commandLine(),
            "--resource-types: the demo generates "
                + String.join(", ", SyntheticRecords.TYPES)
                + " (or *), not '"
                + type
                + "'");
      }
    }
    return List.copyOf(new LinkedHashSet<>(types));
  }

  /** Per type: current resources, and deleted ones when asked. */
  private static String counts(DemoFhirServer server, Collection<String> types, boolean deleted) {
    List<String> parts = new ArrayList<>();
    for (String type : types) {
      parts.add(
          String.format(
              deleted ? "%,d %s (%,d deleted)" : "%,d %s",
              server.store().countCurrent(type),
              type,
              server.store().countDeleted(type)));
    }
    return String.join(", ", parts);
  }

  private static PrintStream out() {
    return System.out;
  }

  private void runWorkload(
      Workload workload, Pipeline pipeline, Progress progress, ResultReader aggregates)
      throws InterruptedException {
    long intervalNanos = 1_000_000_000L / Math.max(1, rate);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextProgress = start;
    long nextAggregates = start + 5_000_000_000L;
    long next = start;
    while (System.nanoTime() < end) {
      pipeline.checkHealthy();
      workload.randomChange();
      next += intervalNanos;
      long now = System.nanoTime();
      if (now >= nextProgress) {
        progress.print();
        nextProgress = now + 1_000_000_000L;
      }
      if (now >= nextAggregates) {
        // Read back from the store, a few seconds behind the changes at most.
        out().println();
        out().println(LiveAggregates.line(aggregates));
        nextAggregates = now + 5_000_000_000L;
      }
      long sleep = next - now;
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
  }

  /** Removes what an earlier demo left, so the check compares this run only. */
  private static void clean(Path dataDir) throws IOException {
    for (Path path :
        new Path[] {
          dataDir.resolve("kafka"),
          dataDir.resolve("analytics"),
          dataDir.resolve("fhirstream.db"),
          dataDir.resolve("fhirstream.db-wal"),
          dataDir.resolve("fhirstream.db-shm")
        }) {
      if (Files.exists(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }
}

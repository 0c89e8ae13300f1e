package io.fhirstream.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs every scenario against real processes and writes the reliability report.
 *
 * <p>{@code java -cp … io.fhirstream.fault.Harness [short|full] [report.md]}, or {@code
 * fault/run.sh}; {@code -Dfhirstream.fault.store=postgres} runs the pipelines against a real
 * PostgreSQL instead of SQLite, {@code -Dfhirstream.fault.only=kill-9,replay} runs only those
 * scenarios. Exit status 0 only when every scenario passed and no canary leaked.
 */
public final class Harness {
  private final Path jar;
  private final Path workDir;
  private final Profile profile;
  private final String store;
  private final Set<String> only;

  /**
   * @param store {@code sqlite} or {@code postgres}: the store the pipelines write to
   * @param only the names of the scenarios to run; empty for all
   */
  Harness(Path jar, Path workDir, Profile profile, String store, Set<String> only) {
    this.jar = jar;
    this.workDir = workDir;
    this.profile = profile;
    this.store = store;
    this.only = Set.copyOf(only);
  }

  static List<Scenario> scenarios(Profile profile) {
    List<Scenario> scenarios =
        new ArrayList<>(
            List.of(new KillScenario(), new BrokerRestartScenario(), new FhirFaultScenario()));
    if (profile.sigstop()) {
      scenarios.add(new SigStopScenario());
    }
    scenarios.add(new DiskFullScenario());
    scenarios.add(new ReplayScenario());
    scenarios.add(new PoisonScenario());
    scenarios.add(new AnalyticsKillScenario());
    return scenarios;
  }

  /** Runs all scenarios; each result is printed as it comes. */
  ReliabilityReport run() throws Exception {
    List<ScenarioResult> results = new ArrayList<>();
    CanaryLedger canaries = new CanaryLedger();
    canaries.addAll(java.util.Set.of(Cluster.SECRET_CANARY));
    List<String> leaks;
    try (StoreUnderTest target = StoreUnderTest.named(store, workDir);
        Cluster cluster = new Cluster(jar, workDir, target).start()) {
      for (Scenario scenario : scenarios(profile)) {
        if (!only.isEmpty() && !only.contains(scenario.name())) {
          continue;
        }
        System.out.println("scenario " + scenario.name() + "...");
        ScenarioResult result = scenario.run(cluster, profile, canaries);
        System.out.println("  " + ReliabilityReport.line(result));
        results.add(result);
      }
      leaks = canaries.scan(cluster.logs());
    }
    return new ReliabilityReport(profile, store, results, canaries.size(), leaks);
  }

  public static void main(String[] args) throws Exception {
    Profile profile = Profile.named(args.length > 0 ? args[0] : "short");
    Path jar =
        Path.of(System.getProperty("fhirstream.jar", "fhirstream-cli/target/fhirstream.jar"));
    Path workDir = Files.createTempDirectory("fhirstream-fault-");
    String store = System.getProperty("fhirstream.fault.store", "sqlite");
    String only = System.getProperty("fhirstream.fault.only", "");
    Set<String> scenarios = only.isBlank() ? Set.of() : Set.of(only.split(","));
    ReliabilityReport report = new Harness(jar, workDir, profile, store, scenarios).run();
    String markdown = report.toMarkdown();
    System.out.println(markdown);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), markdown);
    }
    System.out.println("process logs: " + workDir);
    System.exit(report.passed() ? 0 : 1);
  }
}

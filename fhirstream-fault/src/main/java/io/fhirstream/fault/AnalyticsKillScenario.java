package io.fhirstream.fault;

import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.verify.Reconciliation;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.demo.FhirServerState;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 of the analytics role at random moments while changes stream, restarting it each time,
 * beside a source and sink that run undisturbed; then {@code analytics verify}'s recomputation from
 * the store must find no difference from what the role wrote.
 */
final class AnalyticsKillScenario implements Scenario {
  @Override
  public String name() {
    return "analytics-kill-9";
  }

  @Override
  public String description() {
    return "kill -9 of the analytics role (its own process) at random moments during the"
        + " workload, restarted each time; at the end every aggregate and view in the store must"
        + " equal a recomputation from the stored resources (analytics verify)";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
    settings.put("analytics.application-id", name() + ".analytics");
    settings.put("analytics.topic-prefix", name() + ".an.");
    settings.put("analytics.state-dir", cluster.workDir.resolve(name() + "-state").toString());
    Random random = new Random(profile.kills() + 7);
    int kills = 0;
    // A cold demo server answers its first requests slowly, past the source's short timeout
    // here: warm it up (it is when this scenario runs after others).
    FhirServerState.read(cluster.fhirUrl, "Patient");
    ManagedProcess pipeline = cluster.pipeline(name(), settings, null, "--roles", "source,sink");
    // One JVM warming up at a time on this 2-core machine.
    Thread.sleep(5_000);
    ManagedProcess analytics =
        cluster.pipeline(name() + "-analytics", settings, null, "--roles", "analytics");
    WorkloadThread workload =
        new WorkloadThread(cluster.fhirUrl, 202, profile.changes(), profile.rate()).start();
    long spacingMillis = profile.changes() * 1000L / profile.rate() / (profile.kills() + 1);
    for (int k = 1; k <= profile.kills(); k++) {
      Thread.sleep((long) (spacingMillis * (0.5 + random.nextDouble())));
      analytics.killHard();
      kills++;
      analytics = cluster.pipeline(name() + "-analytics", settings, null, "--roles", "analytics");
    }
    long changes = workload.join();
    canaries.addAll(workload.canaries());
    Verdict verdict = cluster.awaitConsistent(name(), null, Duration.ofMinutes(3));
    Reconciliation.Report report = awaitReconciled(settings, Duration.ofMinutes(3));
    analytics.stopClean();
    pipeline.stopClean();
    String notes =
        report.consistent() && report.results() > 0
            ? String.format(
                "analytics verify: 0 differences (%,d results, %,d view rows)",
                report.results(), report.rows())
            : report.consistent()
                ? "FAILED: analytics verify compared no result"
                : "FAILED: analytics verify found "
                    + report.differenceCount()
                    + " differences, e.g. "
                    + report.differences();
    return new ScenarioResult(
        name(),
        description(),
        changes,
        kills + " × kill -9 of the analytics role",
        verdict,
        (System.nanoTime() - started) / 1e9,
        notes);
  }

  /**
   * Runs the reconciliation until it finds no difference (the restarted role catches up) or the
   * timeout passes; returns the last report.
   */
  private static Reconciliation.Report awaitReconciled(Map<String, String> raw, Duration timeout)
      throws InterruptedException {
    Settings settings = Settings.parse(raw, EnumSet.of(Role.ANALYTICS));
    AnalyticsDefinitions definitions = settings.analytics().loadDefinitions();
    long deadline = System.nanoTime() + timeout.toNanos();
    Reconciliation.Report report;
    do {
      try (DocumentReader documents = settings.storeFactory().createReader(settings.storeConfig());
          ResultReader results =
              settings.storeFactory().createResultReader(settings.storeConfig())) {
        report = Reconciliation.run(definitions, documents, results);
      } catch (RuntimeException e) {
        // The results tables may not exist yet while the restarted role starts.
        report = new Reconciliation.Report(0, 0, 0, 0, 0, 1, java.util.List.of(e.getMessage()));
      }
      if (report.consistent()) {
        return report;
      }
      Thread.sleep(2000);
    } while (System.nanoTime() < deadline);
    return report;
  }
}

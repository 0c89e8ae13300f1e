package io.fhirstream.fault;

import java.time.Duration;
import java.util.Map;

/**
 * The pipeline frozen with SIGSTOP for longer than the consumer's poll interval and session
 * timeout, so the group evicts it; SIGCONT then makes it rejoin mid-batch.
 */
final class SigStopScenario implements Scenario {
  private static final Duration FROZEN = Duration.ofSeconds(15);

  @Override
  public String name() {
    return "sigstop";
  }

  @Override
  public String description() {
    return "SIGSTOP of the pipeline for "
        + FROZEN.toSeconds()
        + " s, longer than its consumer's"
        + " max.poll.interval (10 s) and session timeout (6 s), then SIGCONT: a forced rebalance";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
    int changes = Math.max(1000, profile.changes() / 10);
    try (RegressionWatch watch = new RegressionWatch(cluster.store(name()))) {
      ManagedProcess pipeline = cluster.pipeline(name(), settings, null);
      WorkloadThread workload =
          new WorkloadThread(cluster.fhirUrl, 303, changes, profile.rate()).start();
      Thread.sleep(changes * 1000L / profile.rate() / 3);
      pipeline.signal("STOP");
      Thread.sleep(FROZEN.toMillis());
      pipeline.signal("CONT");
      long done = workload.join();
      canaries.addAll(workload.canaries());
      Verdict verdict =
          cluster.awaitConsistent(cluster.store(name()), watch, Duration.ofMinutes(3));
      String notes = pipeline.alive() ? null : "FAILED: the pipeline process exited";
      pipeline.stopClean();
      return new ScenarioResult(
          name(),
          description(),
          done,
          "1 × SIGSTOP " + FROZEN.toSeconds() + " s",
          verdict,
          (System.nanoTime() - started) / 1e9,
          notes);
    }
  }
}

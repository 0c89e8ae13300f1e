package io.fhirstream.fault;

import java.time.Duration;
import java.util.Map;

/**
 * The common shape of a scenario: a fresh pipeline, a workload, a fault acting while the workload
 * runs, then the verdict of the store against the server once the pipeline has drained.
 */
final class FaultDuringWorkload {
  /** Injects the fault into a running pipeline; returns what it did, for the report. */
  @FunctionalInterface
  interface Fault {
    String inject(ManagedProcess pipeline) throws Exception;
  }

  private FaultDuringWorkload() {}

  static ScenarioResult run(
      Scenario scenario,
      Cluster cluster,
      CanaryLedger canaries,
      long seed,
      int changes,
      int rate,
      Fault fault)
      throws Exception {
    long started = System.nanoTime();
    Map<String, String> settings = cluster.settings(scenario.name(), cluster.fhirUrl);
    try (RegressionWatch watch = new RegressionWatch(cluster.store.settings(scenario.name()))) {
      ManagedProcess pipeline = cluster.pipeline(scenario.name(), settings, null);
      WorkloadThread workload = new WorkloadThread(cluster.fhirUrl, seed, changes, rate).start();
      String injected = fault.inject(pipeline);
      long done = workload.join();
      canaries.addAll(workload.canaries());
      Verdict verdict = cluster.awaitConsistent(scenario.name(), watch, Duration.ofMinutes(4));
      String notes = pipeline.alive() ? null : "FAILED: the pipeline process exited";
      pipeline.stopClean();
      return new ScenarioResult(
          scenario.name(),
          scenario.description(),
          done,
          injected,
          verdict,
          (System.nanoTime() - started) / 1e9,
          notes);
    }
  }
}

package io.fhirstream.fault;

import java.time.Duration;

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
    int changes = Math.max(1000, profile.changes() / 10);
    return FaultDuringWorkload.run(
        this,
        cluster,
        canaries,
        303,
        changes,
        profile.rate(),
        pipeline -> {
          Thread.sleep(changes * 1000L / profile.rate() / 3);
          pipeline.signal("STOP");
          Thread.sleep(FROZEN.toMillis());
          pipeline.signal("CONT");
          return "1 × SIGSTOP " + FROZEN.toSeconds() + " s";
        });
  }
}

package io.fhirstream.fault;

import java.time.Duration;

/** The Kafka broker restarted mid-stream, alternately killed hard and stopped cleanly. */
final class BrokerRestartScenario implements Scenario {
  /** Longer than the pipeline's max.block.ms (5 s): sends fail, not just wait. */
  private static final Duration DOWNTIME = Duration.ofSeconds(10);

  @Override
  public String name() {
    return "broker-restart";
  }

  @Override
  public String description() {
    return "the Kafka broker stopped for 10 s (longer than the pipeline's 5 s max.block.ms) while"
        + " changes stream, alternately by kill -9 and a clean stop; the pipeline keeps running"
        + " and must catch up by itself";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    int changes = Math.max(1000, profile.changes() / 4);
    long spacingMillis = changes * 1000L / profile.rate() / (profile.brokerRestarts() + 1);
    return FaultDuringWorkload.run(
        this,
        cluster,
        canaries,
        202,
        changes,
        profile.rate(),
        pipeline -> {
          for (int r = 1; r <= profile.brokerRestarts(); r++) {
            Thread.sleep(spacingMillis);
            cluster.restartBroker(r % 2 == 1, DOWNTIME);
          }
          return profile.brokerRestarts() + " × broker restart (hard and clean alternating)";
        });
  }
}

package io.fhirstream.fault;

import io.fhirstream.runtime.internal.CrashPoints;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * kill -9 of the pipeline at random moments while changes stream, restarting it each time; every
 * other restart is armed to halt exactly after the store's flush (before the offset commit) or
 * after the hub's acknowledgement (before the cursor commit).
 */
final class KillScenario implements Scenario {
  @Override
  public String name() {
    return "kill-9";
  }

  @Override
  public String description() {
    return "kill -9 of the pipeline process at random moments during the workload, restarted each"
        + " time; every other restart is armed to halt itself exactly between the store's flush"
        + " and the offset commit, or between Kafka's acknowledgement and the cursor commit";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
    Random random = new Random(profile.kills());
    int kills = 0;
    int armedHalts = 0;
    int missedPoints = 0;
    try (RegressionWatch watch = new RegressionWatch(cluster.store.settings(name()))) {
      ManagedProcess pipeline = cluster.pipeline(name(), settings, null);
      WorkloadThread workload =
          new WorkloadThread(cluster.fhirUrl, 101, profile.changes(), profile.rate()).start();
      long spacingMillis = profile.changes() * 1000L / profile.rate() / (profile.kills() + 1);
      for (int k = 1; k <= profile.kills(); k++) {
        Thread.sleep((long) (spacingMillis * (0.5 + random.nextDouble())));
        pipeline.killHard();
        kills++;
        if (k % 2 == 0) {
          // Armed: let it run until it halts itself exactly at the crash point.
          String point =
              k % 4 == 0 ? CrashPoints.SINK_AFTER_FLUSH : CrashPoints.SOURCE_AFTER_PUBLISH;
          ManagedProcess armed =
              cluster.pipeline(name(), settings, point + ":" + (1 + random.nextInt(3)));
          if (armed.awaitExit(Duration.ofSeconds(90))) {
            armedHalts++;
          } else {
            armed.killHard();
            missedPoints++;
          }
        }
        pipeline = cluster.pipeline(name(), settings, null);
      }
      long changes = workload.join();
      canaries.addAll(workload.canaries());
      Verdict verdict = cluster.awaitConsistent(name(), watch, Duration.ofMinutes(3));
      pipeline.stopClean();
      return new ScenarioResult(
          name(),
          description(),
          changes,
          kills + " × kill -9 at random moments, " + armedHalts + " × halt at a crash point",
          verdict,
          (System.nanoTime() - started) / 1e9,
          missedPoints == 0
              ? null
              : "FAILED: " + missedPoints + " armed restarts never reached their crash point");
    }
  }
}

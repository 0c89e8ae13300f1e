package io.fhirstream.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The store's disk fills up mid-stream (a small tmpfs), then space returns (the tmpfs grows): no
 * offset may be committed for what was not written, and the pipeline must catch up by itself.
 */
final class DiskFullScenario implements Scenario {
  @Override
  public String name() {
    return "disk-full";
  }

  @Override
  public String description() {
    return "the SQLite file on a 2 MB tmpfs that fills up mid-stream; after 15 s the tmpfs is"
        + " grown to 256 MB and the running pipeline must catch up by itself";
  }

  @Override
  public ScenarioResult run(Cluster cluster, Profile profile, CanaryLedger canaries)
      throws Exception {
    long started = System.nanoTime();
    if (!cluster.store.type().equals("sqlite")) {
      return new ScenarioResult(
          name(),
          description(),
          0,
          "none",
          Verdict.skipped(),
          0,
          "skipped: it fills the disk of the embedded SQLite store, which this run does not use");
    }
    Path mount = cluster.workDir.resolve("small-disk");
    Files.createDirectories(mount);
    if (!run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())) {
      return new ScenarioResult(
          name(),
          description(),
          0,
          "none",
          Verdict.skipped(),
          (System.nanoTime() - started) / 1e9,
          "skipped: mounting a tmpfs needs root");
    }
    try {
      Path store = mount.resolve("store.db");
      Map<String, String> settings = cluster.settings(name(), cluster.fhirUrl);
      settings.put("store.sqlite.path", store.toString());
      try (RegressionWatch watch = new RegressionWatch(settings)) {
        ManagedProcess pipeline = cluster.pipeline(name(), settings, null);
        int changes = Math.max(3000, profile.changes() / 10);
        WorkloadThread workload =
            new WorkloadThread(cluster.fhirUrl, 707, changes, profile.rate()).start();
        long done = workload.join();
        canaries.addAll(workload.canaries());
        Thread.sleep(15_000); // full for a while: the sink retries, commits nothing
        String log = ManagedProcess.readAll(cluster.workDir.resolve(name() + "-pipeline.log"));
        boolean sawFull = log.contains("store unavailable");
        run("mount", "-o", "remount,size=256m", mount.toString());
        Verdict verdict = cluster.awaitConsistent(settings, watch, Duration.ofMinutes(3));
        String notes =
            !pipeline.alive()
                ? "FAILED: the pipeline process exited"
                : sawFull
                    ? "the disk filled up and the sink retried without committing"
                    : "FAILED: the disk never filled up; the scenario proved nothing";
        pipeline.stopClean();
        return new ScenarioResult(
            name(),
            description(),
            done,
            "1 × disk full for 15 s+",
            verdict,
            (System.nanoTime() - started) / 1e9,
            notes);
      }
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor() == 0;
  }
}

package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The short profile of the fault harness, in CI: real processes, every kind of fault, few of each.
 * Each scenario must end with nothing lost, regressed, extra or different, and no canary may leak.
 * The store is read back through its own reader, so the same verdicts hold PostgreSQL to account.
 */
class FaultHarnessIT {
  private static final Path JAR = Path.of("..", "fhirstream-cli", "target", "fhirstream.jar");

  @Test
  void shortProfileLosesNothingAndLeaksNoPhi() throws Exception {
    ReliabilityReport report = run("sqlite", Set.of());

    assertPassed(report);
    assertThat(report.canaries()).isGreaterThan(100);
    assertThat(report.results())
        .extracting(ScenarioResult::name)
        .contains("kill-9", "broker-restart", "replay", "poison", "analytics-kill-9");
  }

  /** CI's share of the short profile on PostgreSQL: crashes, replays and poison. */
  @Test
  void onPostgresKillsReplaysAndPoisonLoseNothing() throws Exception {
    ReliabilityReport report = run("postgres", Set.of("kill-9", "replay", "poison"));

    assertPassed(report);
    assertThat(report.results())
        .extracting(ScenarioResult::name)
        .containsExactly("kill-9", "replay", "poison");
  }

  private static ReliabilityReport run(String store, Set<String> only) throws Exception {
    // Kept after the run (not a temp dir): the process logs are what explains a failure.
    Path workDir = Files.createTempDirectory(Path.of("target"), "fault-harness-" + store + "-");
    return new Harness(JAR, workDir, Profile.SHORT, store, only).run();
  }

  private static void assertPassed(ReliabilityReport report) {
    for (ScenarioResult result : report.results()) {
      assertThat(result.passed()).as(ReliabilityReport.line(result)).isTrue();
    }
    assertThat(report.leaks()).as("log lines with a PHI canary").isEmpty();
  }
}

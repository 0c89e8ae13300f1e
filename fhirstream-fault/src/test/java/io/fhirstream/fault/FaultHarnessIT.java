package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short profile of the fault harness, in CI: real processes, every kind of fault, few of each.
 * Each scenario must end with nothing lost, regressed, extra or different, and no canary may leak.
 */
class FaultHarnessIT {
  @Test
  void shortProfileLosesNothingAndLeaksNoPhi() throws Exception {
    // Kept after the run (not a temp dir): the process logs are what explains a failure.
    Path workDir = Files.createTempDirectory(Path.of("target"), "fault-harness-");
    Path jar = Path.of("..", "fhirstream-cli", "target", "fhirstream.jar");
    ReliabilityReport report = new Harness(jar, workDir, Profile.SHORT).run();

    for (ScenarioResult result : report.results()) {
      assertThat(result.passed()).as(ReliabilityReport.line(result)).isTrue();
    }
    assertThat(report.leaks()).as("log lines with a PHI canary").isEmpty();
    assertThat(report.canaries()).isGreaterThan(100);
    assertThat(report.results())
        .extracting(ScenarioResult::name)
        .contains("kill-9", "broker-restart", "replay", "poison");
  }
}

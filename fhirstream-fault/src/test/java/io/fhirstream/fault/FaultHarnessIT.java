package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short profile of the fault harness, in CI: real processes, every kind of fault, few of each.
 * Each scenario must end with nothing lost, regressed, extra or different, and no canary may leak.
 */
class FaultHarnessIT {
  @TempDir Path workDir;

  @Test
  void shortProfileLosesNothingAndLeaksNoPhi() throws Exception {
    Path jar = Path.of("..", "fhirstream-app", "target", "fhirstream.jar");
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

package io.fhirstream.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityReportTest {

  private static ScenarioResult result(String name, Verdict verdict, String notes) {
    return new ScenarioResult(name, "a scenario", 10, "none", verdict, 1.0, notes);
  }

  @Test
  void aScenarioThatCouldNotRunIsReportedAsSkippedNotAsPassed() {
    ScenarioResult skipped =
        result("disk-full", Verdict.skipped(), "skipped: mounting a tmpfs needs root");
    ScenarioResult passed = result("kill-9", Verdict.skipped(), null);
    ReliabilityReport report =
        new ReliabilityReport(Profile.SHORT, "postgres", List.of(skipped, passed), 3, List.of());

    assertThat(ReliabilityReport.line(skipped)).startsWith("disk-full: SKIP —");
    assertThat(ReliabilityReport.line(passed)).startsWith("kill-9: PASS —");
    assertThat(report.toMarkdown())
        .contains("| disk-full | 10 | none | 0 | 0 | 0 | 0 | 1 s | skipped |")
        .contains("| kill-9 | 10 | none | 0 | 0 | 0 | 0 | 1 s | pass |");
    assertThat(report.passed()).as("a skip fails nothing").isTrue();
  }

  @Test
  void aFailedScenarioFailsTheReport() {
    ScenarioResult failed =
        result("replay", new Verdict(5, 1, 0, 0, 0, List.of("Patient/1")), null);
    ReliabilityReport report =
        new ReliabilityReport(Profile.SHORT, "sqlite", List.of(failed), 3, List.of());

    assertThat(ReliabilityReport.line(failed)).startsWith("replay: FAIL —");
    assertThat(report.passed()).isFalse();
  }
}

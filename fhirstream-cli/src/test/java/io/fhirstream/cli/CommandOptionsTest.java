package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Commands' options are checked like settings, and every failure of a command is one line: no usage
 * dump, no stack trace.
 */
class CommandOptionsTest {

  private record Outcome(int exitCode, String err) {
    void isOneLine() {
      assertThat(err.strip().lines()).as(err).hasSize(1);
      assertThat(err).doesNotContain("\tat ").doesNotContain("Exception:");
    }
  }

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), args);
    return new Outcome(code, err.toString());
  }

  @Test
  void demoRefusesANegativePatientCountOrRateLikeABadSetting() {
    Outcome patients = run("demo", "--patients", "-5");
    assertThat(patients.exitCode()).isEqualTo(2);
    assertThat(patients.err()).contains("--patients: must be at least 0, was -5");
    patients.isOneLine();

    Outcome rate = run("demo", "--rate", "-1");
    assertThat(rate.exitCode()).isEqualTo(2);
    assertThat(rate.err()).contains("--rate: must be at least 1, was -1");
    rate.isOneLine();

    Outcome duration = run("demo", "--duration", "0s");
    assertThat(duration.exitCode()).isEqualTo(2);
    assertThat(duration.err()).contains("--duration: must be longer than zero");
  }

  @Test
  void anUnknownOptionIsOneLineWithWhereHelpIs() {
    Outcome outcome = run("demo", "--patient", "5");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("--patient").contains("fhirstream demo --help");
    outcome.isOneLine();
  }

  @Test
  void aBusyPortIsNamedInOneLineByTheBrokerAndTheDemoFhirServer() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      for (String command : new String[] {"broker", "demo-fhir-server"}) {
        Outcome outcome = run(command, "--port", port);
        assertThat(outcome.exitCode()).as(command).isEqualTo(1);
        assertThat(outcome.err())
            .contains("--port " + port + ": 127.0.0.1:" + port + " is already in use")
            .contains("0 (the default) for a free one");
        outcome.isOneLine();
      }
    }
  }

  @Test
  void aPortOutOfRangeIsAnOptionError() {
    Outcome outcome = run("broker", "--port", "70000");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("--port: must be a port between 1 and 65535");
  }

  @Test
  void theBrokerAndTheDemoFhirServerDefaultToAFreePort() {
    for (Object command : new Object[] {new BrokerCommand(), new FhirServerCommand()}) {
      assertThat(new CommandLine(command).getCommandSpec().findOption("--port").defaultValue())
          .isEqualTo("0");
    }
  }

  @Test
  void anUnwritableOutputFileIsOneLine() {
    for (String command : new String[] {"config-reference", "metrics-reference"}) {
      Outcome outcome = run(command, "--output", "/nonexistent-fhirstream-dir/reference.md");
      assertThat(outcome.exitCode()).as(command).isEqualTo(1);
      assertThat(outcome.err())
          .contains("--output /nonexistent-fhirstream-dir/reference.md: cannot write the file")
          .contains("choose a writable path");
      outcome.isOneLine();
    }
  }

  @Test
  void anUnexpectedFailureIsStillOneLine() {
    assertThat(Main.oneLine(new NullPointerException()))
        .isEqualTo(
            "unexpected failure (NullPointerException); FHIRSTREAM_LOG_LEVEL=DEBUG logs its stack"
                + " trace");
    assertThat(Main.oneLine(new IllegalArgumentException("two\nlines")))
        .isEqualTo("IllegalArgumentException: two lines");
  }
}

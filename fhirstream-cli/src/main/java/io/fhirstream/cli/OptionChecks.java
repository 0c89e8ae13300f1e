package io.fhirstream.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of command options, worded like the settings' checks: the option, what it must be, what it
 * was. A bad option is a {@link ParameterException}: one line, exit 2.
 */
final class OptionChecks {
  private OptionChecks() {}

  /** A whole number of at least {@code min}. */
  static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(), option + ": must be at least " + min + ", was " + value);
    }
  }

  /** A duration longer than zero. */
  static void positive(CommandSpec spec, String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ParameterException(
          spec.commandLine(), option + ": must be longer than zero, was " + value);
    }
  }

  /** A TCP port, or 0 for a free one. */
  static void port(CommandSpec spec, String option, int port) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(),
          option + ": must be a port between 1 and 65535, or 0 for a free one, was " + port);
    }
  }

  /**
   * Fails with one line when a fixed port on 127.0.0.1 is taken, before a server starts and fails
   * with pages of stack traces. (A port taken in between still fails, later and less politely.)
   */
  static void portFree(String option, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      probe.setReuseAddress(true);
    } catch (IOException e) {
      throw new CommandFailedException(
          option
              + " "
              + port
              + ": 127.0.0.1:"
              + port
              + " is already in use; choose another port, or 0 (the default) for a free one");
    }
  }
}

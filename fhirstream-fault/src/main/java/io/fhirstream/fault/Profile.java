package io.fhirstream.fault;

/**
 * How hard the harness pushes.
 *
 * @param changes changes the workload makes in the kill scenario
 * @param rate changes per second the workload aims for
 * @param kills kill -9s of the pipeline in the kill scenario
 * @param brokerRestarts broker restarts (hard and clean, alternating)
 * @param sigstop whether to run the SIGSTOP-past-the-poll-interval scenario
 */
record Profile(String name, int changes, int rate, int kills, int brokerRestarts, boolean sigstop) {
  /** What CI runs: every kind of fault, few of each. */
  static final Profile SHORT = new Profile("short", 2_000, 250, 4, 1, true);

  /** The full proof: 50,000 changes, 20 kills, 5 broker restarts. */
  static final Profile FULL = new Profile("full", 50_000, 500, 20, 5, true);

  static Profile named(String name) {
    return switch (name) {
      case "short" -> SHORT;
      case "full" -> FULL;
      default -> throw new IllegalArgumentException("profile is short or full, not " + name);
    };
  }
}

package io.fhirstream.ops;

import java.util.Objects;

/**
 * One dependency or component whose state a probe reports, e.g. {@code kafka} or {@code fhir}.
 *
 * <p>The endpoint calls {@link #check()} from its own threads, at most once per cache period (a
 * second or two) however many probes arrive, and gives up on it after the check timeout (reported
 * {@code DOWN}); a check still running is not started again. Make it a cheap, bounded call (a
 * metadata request, a connection test), never a scan.
 */
public interface HealthCheck {

  /** A short, stable key for the JSON body: lowercase letters, digits, {@code . _ -}. */
  String name();

  /**
   * The current state. Throwing counts as {@link Status#DOWN}: the probe's JSON then shows only the
   * exception's type, and its message goes to the log (so, as everywhere in fhirstream, it must not
   * contain a secret or PHI).
   */
  Result check() throws Exception;

  /** UP or DOWN; there is no third state, since a probe only reads the status code. */
  enum Status {
    UP,
    DOWN
  }

  /**
   * The outcome of one check.
   *
   * @param detail a short human hint (may be null). It is shown on an unauthenticated endpoint, so
   *     it must never contain PHI, resource ids, credentials or URLs with credentials.
   */
  record Result(Status status, String detail) {
    /** Longest detail kept; longer ones are cut, so a probe's body stays small. */
    public static final int MAX_DETAIL = 200;

    public Result {
      Objects.requireNonNull(status, "status");
      if (detail != null && detail.length() > MAX_DETAIL) {
        detail = detail.substring(0, MAX_DETAIL - 1) + "…";
      }
    }

    public static Result up() {
      return new Result(Status.UP, null);
    }

    public static Result up(String detail) {
      return new Result(Status.UP, detail);
    }

    public static Result down(String detail) {
      return new Result(Status.DOWN, detail);
    }

    public boolean isUp() {
      return status == Status.UP;
    }
  }

  /** A check from a name and a function, e.g. {@code HealthCheck.of("kafka", hub::ping)}. */
  static HealthCheck of(String name, CheckFunction check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result check() throws Exception {
        return check.check();
      }

      @Override
      public String toString() {
        return "HealthCheck[" + name + "]";
      }
    };
  }

  /** The body of a check made with {@link #of}. */
  @FunctionalInterface
  interface CheckFunction {
    Result check() throws Exception;
  }
}

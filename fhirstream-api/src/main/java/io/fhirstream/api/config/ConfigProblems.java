package io.fhirstream.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects configuration problems so that validation reports all of them at once: each step runs,
 * and a {@link ConfigException} it throws is remembered rather than ending the validation. {@link
 * #throwIfAny()} then throws them together.
 */
public final class ConfigProblems {
  private final List<ConfigException> problems = new ArrayList<>();

  /** Runs a step; its {@link ConfigException} is collected. Returns its result, or null. */
  public <T> T check(Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigException e) {
      problems.add(e);
      return null;
    }
  }

  /** Runs a step without a result; its {@link ConfigException} is collected. */
  public void run(Runnable step) {
    check(
        () -> {
          step.run();
          return null;
        });
  }

  /** Adds a problem found by other means. */
  public void add(ConfigException problem) {
    problems.add(problem);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /**
   * @throws ConfigException listing every problem collected, if any
   */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw ConfigException.of(problems);
    }
  }
}

package io.fhirstream.ops.internal;

import io.fhirstream.ops.HealthCheck;
import io.fhirstream.ops.HealthCheck.Result;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the liveness and readiness probes from the {@link HealthCheck}s.
 *
 * <p>Probes must be fast and must not load what they check: each check runs at most once per {@code
 * cacheFor} however many probes arrive (results are shared), all checks of a probe run in parallel,
 * and a probe waits at most {@code timeout} for them; a check that has not answered by then is
 * DOWN. A check still running is never started a second time, so a hung dependency costs one
 * thread, not one per probe.
 */
public final class HealthEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthEvaluator.class);

  private final List<Runner> liveness;
  private final List<Runner> readiness;
  private final Duration timeout;
  private final ExecutorService executor;

  /**
   * @param liveness checks that say whether the process itself is sound (not its dependencies)
   * @param readiness checks that say whether it can do its work now; readiness includes liveness
   */
  public HealthEvaluator(
      List<HealthCheck> liveness,
      List<HealthCheck> readiness,
      Duration timeout,
      Duration cacheFor,
      Clock clock) {
    this.timeout = timeout;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fhirstream-health-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.liveness = runners(liveness, cacheFor, clock);
    List<Runner> ready = new ArrayList<>(this.liveness);
    ready.addAll(runners(readiness, cacheFor, clock));
    this.readiness = List.copyOf(ready);
  }

  private List<Runner> runners(List<HealthCheck> checks, Duration cacheFor, Clock clock) {
    return checks.stream().map(check -> new Runner(check, cacheFor.toNanos(), clock)).toList();
  }

  /** Liveness: DOWN only when a liveness check fails (the process should be restarted). */
  public HealthReport live() {
    return evaluate(liveness);
  }

  /** Readiness: UP only when every check, liveness ones included, is UP. */
  public HealthReport ready() {
    return evaluate(readiness);
  }

  private HealthReport evaluate(List<Runner> runners) {
    List<CompletableFuture<Result>> pending = runners.stream().map(Runner::current).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Result> results = new LinkedHashMap<>();
    for (int i = 0; i < runners.size(); i++) {
      results.put(runners.get(i).check.name(), await(pending.get(i), deadline));
    }
    return HealthReport.of(results);
  }

  private Result await(CompletableFuture<Result> result, long deadline) {
    try {
      return result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return Result.down("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.down("interrupted");
    } catch (ExecutionException e) {
      return Result.down("failed: " + e.getCause().getClass().getSimpleName());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** One check with its cached result and the run in progress, if any. */
  private final class Runner {
    private final HealthCheck check;
    private final long cacheNanos;
    private final Clock clock;
    private CompletableFuture<Result> running;
    private Result last;
    private long lastAt;

    Runner(HealthCheck check, long cacheNanos, Clock clock) {
      this.check = check;
      this.cacheNanos = cacheNanos;
      this.clock = clock;
    }

    synchronized CompletableFuture<Result> current() {
      if (running != null) {
        return running;
      }
      if (last != null && clock.monotonicTime() - lastAt < cacheNanos) {
        return CompletableFuture.completedFuture(last);
      }
      CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(this::runCheck, executor);
      CompletableFuture<Result> result = run.thenApply(Outcome::result);
      running = result;
      run.whenComplete(
          (outcome, failure) -> finished(result, outcome != null ? outcome : Outcome.of(failure)));
      return result;
    }

    private synchronized void finished(CompletableFuture<Result> run, Outcome outcome) {
      if (running == run) {
        running = null;
      }
      Result result = outcome.result();
      // Changes of state only: a dependency that stays down must not log at the probes' rate.
      if (result.isUp() && last != null && !last.isUp()) {
        LOG.info("health check {} is UP again", check.name());
      } else if (!result.isUp() && (last == null || last.isUp())) {
        LOG.warn("health check {} is DOWN: {}", check.name(), outcome.logText());
      }
      last = result;
      lastAt = clock.monotonicTime();
    }

    private Outcome runCheck() {
      try {
        Result result = check.check();
        result = result != null ? result : Result.down("the check returned no result");
        return new Outcome(result, result.detail());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(Result.down("interrupted"), "interrupted");
      } catch (Exception | LinkageError e) {
        // The probe answers unauthenticated: it names the exception's type only. The message,
        // which says what went wrong, is for the operator's log.
        return Outcome.of(e);
      }
    }
  }

  /** A check's result, and what the log says about it (a failure's message, not just its type). */
  private record Outcome(Result result, String logText) {
    static Outcome of(Throwable failure) {
      return new Outcome(
          Result.down("failed: " + failure.getClass().getSimpleName()), failure.toString());
    }
  }
}

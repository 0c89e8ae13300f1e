package io.fhirstream.fault;

import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a canary workload of a number of changes at a target rate, in the background. */
final class WorkloadThread {
  private final CanaryWorkload workload;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  WorkloadThread(String fhirUrl, long seed, int changes, int rate) {
    this.workload = new CanaryWorkload(fhirUrl, seed);
    this.thread =
        new Thread(
            () -> {
              long interval = 1_000_000_000L / Math.max(1, rate);
              long next = System.nanoTime();
              try {
                for (int i = 0; i < changes; i++) {
                  workload.randomChange();
                  next += interval;
                  long sleep = next - System.nanoTime();
                  if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                  }
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "workload");
  }

  WorkloadThread start() {
    thread.start();
    return this;
  }

  /** Waits for the workload to finish; rethrows its failure. */
  long join() throws InterruptedException {
    thread.join();
    if (failure.get() != null) {
      throw new IllegalStateException("the workload failed: " + failure.get(), failure.get());
    }
    return workload.changes();
  }

  boolean running() {
    return thread.isAlive();
  }

  Set<String> canaries() {
    return workload.canaries();
  }
}

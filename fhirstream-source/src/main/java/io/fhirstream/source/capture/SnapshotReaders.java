package io.fhirstream.source.capture;

import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The readers that every type's snapshot shares, and their one budget of requests: at most {@code
 * parallelism} requests are out at once, whatever the number of types being loaded (halved while
 * the server answers 429, see {@link ThrottleGate}).
 *
 * <p>A free reader takes an unclaimed window of any type being loaded, oldest registration first;
 * only when none is left anywhere does it split the window with the most pages left, of whichever
 * type. So types load side by side: a small type's fixed costs (its plan, its last page) overlap
 * the others' reading instead of adding up, and the readers stay busy to the end of the last type.
 *
 * <p>Two reader threads per request allowed: while one waits for the hub to acknowledge its page,
 * the other has the server read the next. Threads are daemons, started as work arrives, and end
 * when none is left.
 */
public final class SnapshotReaders {
  /** Reader threads per request allowed out. */
  private static final int THREADS_PER_REQUEST = 2;

  private final int parallelism;
  private final int maxThreads;
  private final ThrottleGate gate;
  private final ExecutorService threads;
  private final List<Job> active = new ArrayList<>(); // guarded by this
  private int running; // reader threads alive, guarded by this

  /** The windows of one type's snapshot and how to read one of them. */
  interface Work {
    SnapshotPlan plan();

    /** Reads a claimed window to its end (or until its end moves before what it has read). */
    void read(SnapshotPlan.Window window);
  }

  /**
   * @param parallelism how many requests may be out at once, across every type
   * @param http the client every reader uses; its count of 429 answers slows them all
   */
  public SnapshotReaders(int parallelism, FhirHttpClient http) {
    this.parallelism = parallelism;
    this.maxThreads = parallelism * THREADS_PER_REQUEST;
    this.gate = new ThrottleGate(parallelism, http.throttledCount());
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fhirstream-snapshot-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** How many requests may be out at once. */
  public int parallelism() {
    return parallelism;
  }

  /** One request within the budget. */
  FhirResponse get(FhirHttpClient http, URI uri, boolean serverLink) {
    gate.enter();
    try {
      return serverLink ? http.getLinked(uri) : http.get(uri);
    } finally {
      gate.leave(http.throttledCount());
    }
  }

  /**
   * Reads every window of the plan with the shared readers; returns once all are read.
   *
   * @throws RuntimeException the first failure of a reader, once every reader of this work has
   *     stopped (the others are interrupted); the plan then holds what is left
   * @throws CancellationException when the calling thread is interrupted, likewise after the
   *     readers of this work stopped
   */
  void readAll(Work work) {
    Job job = new Job(work);
    synchronized (this) {
      if (work.plan().complete()) {
        return;
      }
      active.add(job);
      while (running < maxThreads) {
        running++;
        threads.execute(this::readWindows);
      }
      try {
        while (!job.done && job.failure == null) {
          wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.failure = new CancellationException("interrupted during the snapshot");
      }
      if (job.failure != null) {
        active.remove(job);
        job.threads.forEach(Thread::interrupt);
        awaitStopped(job);
      }
    }
    if (job.failure instanceof RuntimeException failure) {
      throw failure;
    } else if (job.failure instanceof Error error) {
      throw error;
    } else if (job.failure != null) {
      throw new IllegalStateException("a snapshot reader failed", job.failure);
    }
  }

  /** Waits, uninterruptibly, for the readers of a failed job to stop. */
  private void awaitStopped(Job job) {
    boolean interrupted = Thread.interrupted();
    while (!job.threads.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void readWindows() {
    while (true) {
      Job job;
      SnapshotPlan.Window window;
      synchronized (this) {
        Claim claim = claim();
        if (claim == null) {
          running--;
          return;
        }
        job = claim.job();
        window = claim.window();
        job.threads.add(Thread.currentThread());
      }
      Throwable failure = null;
      try {
        job.work.read(window);
      } catch (Throwable e) {
        failure = e;
      }
      synchronized (this) {
        job.threads.remove(Thread.currentThread());
        Thread.interrupted(); // an interrupt meant for this job must not reach the next
        if (failure != null && job.failure == null) {
          job.failure = failure;
          active.remove(job);
        } else if (failure == null && job.work.plan().complete()) {
          job.done = true;
          active.remove(job);
        }
        notifyAll();
      }
    }
  }

  private record Claim(Job job, SnapshotPlan.Window window) {}

  /** An unclaimed window of any job, else the later half of the most promising split. */
  private Claim claim() {
    for (Job job : active) {
      SnapshotPlan.Window window = job.work.plan().claimUnclaimed();
      if (window != null) {
        return new Claim(job, window);
      }
    }
    Job widest = null;
    double most = 0;
    for (Job job : active) {
      double pages = job.work.plan().pagesLeftToSplit();
      if (pages > most) {
        most = pages;
        widest = job;
      }
    }
    if (widest == null) {
      return null;
    }
    SnapshotPlan.Window window = widest.work.plan().claimSplit(false);
    return window == null ? null : new Claim(widest, window);
  }

  private static final class Job {
    final Work work;
    final Set<Thread> threads = new HashSet<>();
    boolean done;
    Throwable failure;

    Job(Work work) {
      this.work = work;
    }
  }
}

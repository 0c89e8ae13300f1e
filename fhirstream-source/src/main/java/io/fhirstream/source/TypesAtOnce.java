package io.fhirstream.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one task per resource type, a few at a time, and waits for them all: the capture loop's way
 * of not taking types in turn. The threads are daemons kept between rounds (a poll runs every
 * second).
 */
final class TypesAtOnce implements AutoCloseable {
  private final ExecutorService threads;

  TypesAtOnce(String name) {
    AtomicInteger count = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread =
                  new Thread(task, "fhirstream-" + name + "-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs {@code task} for every type, at most {@code atOnce} at a time (on the calling thread alone
   * when that is 1 or there is one type), and returns the results in the types' order. After a
   * failure no further type is started; the first failure is rethrown once the running ones end.
   *
   * @throws CancellationException when the calling thread is interrupted; the tasks running are
   *     interrupted too
   */
  <T> List<T> run(List<String> types, int atOnce, Function<String, T> task) {
    if (atOnce <= 1 || types.size() <= 1) {
      List<T> results = new ArrayList<>(types.size());
      for (String type : types) {
        results.add(task.apply(type));
      }
      return results;
    }
    AtomicInteger next = new AtomicInteger();
    List<Object> results = new ArrayList<>(Collections.nCopies(types.size(), null));
    Throwable[] failure = {null};
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(atOnce, types.size()); i++) {
      workers.add(
          threads.submit(
              () -> {
                for (int at = next.getAndIncrement();
                    at < types.size();
                    at = next.getAndIncrement()) {
                  synchronized (failure) {
                    if (failure[0] != null) {
                      return;
                    }
                  }
                  try {
                    T result = task.apply(types.get(at));
                    synchronized (results) {
                      results.set(at, result);
                    }
                  } catch (Throwable e) {
                    synchronized (failure) {
                      if (failure[0] == null) {
                        failure[0] = e;
                      }
                    }
                    return;
                  }
                }
              }));
    }
    await(workers);
    if (failure[0] instanceof RuntimeException e) {
      throw e;
    } else if (failure[0] instanceof Error e) {
      throw e;
    } else if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
    @SuppressWarnings("unchecked")
    List<T> typed = (List<T>) results;
    return typed;
  }

  private static void await(List<Future<?>> workers) {
    for (Future<?> worker : workers) {
      try {
        worker.get();
      } catch (InterruptedException e) {
        workers.forEach(w -> w.cancel(true));
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while crawling");
      } catch (ExecutionException e) {
        // the worker caught everything; nothing escapes here
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}

package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Times changes from a start (their write, or their notification's arrival) to the sink's commit of
 * the batch that holds them, for the latency benchmarks: {@link #started} when a change begins,
 * {@link #committed} from the sink's commit callback. Changes started before {@code measureFrom}
 * (the warm-up) are not recorded.
 */
final class CommitTimer {
  private final Map<String, Long> pending = new ConcurrentHashMap<>();
  private final Histogram micros = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
  private final LongSupplier measureFrom;

  /**
   * @param measureFrom the {@link System#nanoTime()} from which starts are recorded
   */
  CommitTimer(LongSupplier measureFrom) {
    this.measureFrom = measureFrom;
  }

  /** A timer that records every change. */
  static CommitTimer always() {
    return new CommitTimer(() -> Long.MIN_VALUE);
  }

  /** {@code id/versionId}, the key a change is timed by. */
  static String key(ChangeEvent event) {
    return event.id() + "/" + event.versionId();
  }

  void started(String key, long nanos) {
    pending.put(key, nanos);
  }

  /** Records the change if it was started; committing it again later records nothing. */
  void committed(ChangeEvent event, long nowNanos) {
    Long at = pending.remove(key(event));
    if (at != null && at >= measureFrom.getAsLong()) {
      synchronized (micros) {
        micros.recordValue((nowNanos - at) / 1000);
      }
    }
  }

  /** Waits until every started change is committed, or the timeout; returns how many are not. */
  int awaitCommitted(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return pending.size();
  }

  int uncommitted() {
    return pending.size();
  }

  Histogram micros() {
    return micros;
  }
}

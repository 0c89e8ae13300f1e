package io.fhirstream.source.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A response body that gives up when the server stops sending: a read that has waited longer than
 * the timeout for its next bytes fails with an {@link IOException}, which the caller retries like a
 * dropped connection. The HTTP client's own request timeout ends with the response headers, so
 * without this a body that stalls mid-file (a server or proxy that hangs) would block forever.
 *
 * <p>Only time spent inside {@code read} counts: a caller that pauses between reads (e.g. while the
 * hub acknowledges what it has read) is never taken for a stall.
 */
public final class StalledReadGuard extends FilterInputStream {
  private static final ScheduledExecutorService WATCH =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "fhirstream-stalled-read-watch");
            thread.setDaemon(true);
            return thread;
          });

  private final long timeoutNanos;
  private final ScheduledFuture<?> watch;
  private boolean reading; // guarded by this
  private long readingSince; // guarded by this
  private boolean stalled; // guarded by this
  private boolean closed; // guarded by this

  public StalledReadGuard(InputStream body, Duration timeout) {
    super(body);
    this.timeoutNanos = timeout.toNanos();
    long checkEvery = Math.max(50, timeout.toMillis() / 4);
    this.watch =
        WATCH.scheduleWithFixedDelay(this::check, checkEvery, checkEvery, TimeUnit.MILLISECONDS);
  }

  @Override
  public int read() throws IOException {
    enter();
    int read;
    try {
      read = super.read();
    } catch (IOException e) {
      throw stalledOr(e);
    }
    leave();
    return read;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    enter();
    int read;
    try {
      read = super.read(buffer, offset, length);
    } catch (IOException e) {
      throw stalledOr(e);
    }
    leave();
    return read;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
    }
    watch.cancel(false);
    super.close();
  }

  private synchronized void enter() throws IOException {
    if (stalled) {
      throw stalledFailure();
    }
    reading = true;
    readingSince = System.nanoTime();
  }

  /** Ends a read; one the watch cut short (the body closed under it) is a failure, not an end. */
  private synchronized void leave() throws IOException {
    reading = false;
    if (stalled) {
      throw stalledFailure();
    }
  }

  private synchronized IOException stalledOr(IOException failure) {
    reading = false;
    if (!stalled) {
      return failure;
    }
    IOException stall = stalledFailure();
    stall.addSuppressed(failure);
    return stall;
  }

  private IOException stalledFailure() {
    return new IOException(
        "the server sent nothing for " + Duration.ofNanos(timeoutNanos).toSeconds() + " s");
  }

  /**
   * Runs on the watch thread: closing the body is what wakes a read blocked in the JDK's HTTP
   * client (an interrupt does not), and drops the connection.
   */
  private void check() {
    synchronized (this) {
      if (closed || stalled || !reading || System.nanoTime() - readingSince <= timeoutNanos) {
        return;
      }
      stalled = true;
    }
    watch.cancel(false);
    try {
      in.close();
    } catch (IOException e) {
      // the read fails as stalled all the same
    }
  }
}

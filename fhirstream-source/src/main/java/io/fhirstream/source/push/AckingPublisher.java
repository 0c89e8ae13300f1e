package io.fhirstream.source.push;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.hub.EventPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes pushed changes and tells each caller when <i>its</i> change is acknowledged by the hub.
 *
 * <p>One thread owns the {@link EventPublisher}: it takes every change queued so far, sends them,
 * and flushes. A flush covers exactly the changes sent since the previous one, so its outcome —
 * acknowledged, or the first failure among them — is the outcome of each change of that group
 * (group commit): many concurrent notifications share one flush, and a failure is never reported to
 * the wrong caller. The publisher must not be shared with another thread that flushes it.
 */
final class AckingPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AckingPublisher.class);

  private record Pending(ChangeEvent event, CompletableFuture<Void> acked) {}

  private final EventPublisher publisher;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  AckingPublisher(EventPublisher publisher) {
    this.publisher = publisher;
    this.thread = new Thread(this::run, "fhirstream-push-publisher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a change; the future completes once the hub acknowledged it, or fails. */
  CompletableFuture<Void> publish(ChangeEvent event) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    if (!running) {
      acked.completeExceptionally(new IllegalStateException("the push endpoint is stopping"));
      return acked;
    }
    queue.add(new Pending(event, acked));
    return acked;
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group);
        sendAndFlush(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        group.clear();
      }
    }
    for (Pending left; (left = queue.poll()) != null; ) {
      left.acked().completeExceptionally(new IllegalStateException("the push endpoint stopped"));
    }
  }

  private void sendAndFlush(List<Pending> group) {
    try {
      for (Pending pending : group) {
        publisher.send(pending.event());
      }
      publisher.flush();
    } catch (RuntimeException e) {
      LOG.warn("publishing {} pushed changes failed: {}", group.size(), e.getMessage());
      group.forEach(p -> p.acked().completeExceptionally(e));
      return;
    }
    group.forEach(p -> p.acked().complete(null));
  }

  /** Finishes what is queued (bounded by {@code timeout}), then stops. */
  void close(Duration timeout) {
    running = false;
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}

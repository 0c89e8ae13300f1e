package io.fhirstream.source.export;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a manifest's files, {@code source.export.parallelism} at once, each streamed line by
 * line into the hub in batches; after each batch is acknowledged, that file's progress is saved.
 * Files hold different resources (an export lists each resource once), so their order does not
 * matter; a file's own lines are published in order.
 *
 * <p>The first failure of any file stops the others and is rethrown on the caller's thread; what
 * was acknowledged stays saved, so a retry resumes every file where it stopped.
 */
final class ExportFiles {
  private static final Logger LOG = LoggerFactory.getLogger(ExportFiles.class);

  private final BulkExportClient client;
  private final ExportConfig config;
  private final JsonLimits limits;
  private final EventPublisher publisher;
  private final MeterRegistry metrics;
  private final UnaryOperator<ExportState> save;
  private ExportState state;

  /**
   * @param save stores a state durably and returns it
   */
  ExportFiles(
      BulkExportClient client,
      ExportConfig config,
      JsonLimits limits,
      EventPublisher publisher,
      MeterRegistry metrics,
      UnaryOperator<ExportState> save) {
    this.client = client;
    this.config = config;
    this.limits = limits;
    this.publisher = publisher;
    this.metrics = metrics;
    this.save = save;
  }

  /**
   * Publishes every file the state has not done.
   *
   * @return the state with every file done, or null when the server no longer has a file (the job
   *     expired)
   */
  ExportState publish(ExportState from, ExportManifest manifest, BooleanSupplier running) {
    state = from;
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < manifest.output().size(); i++) {
      String type = manifest.output().get(i).type();
      if (!from.types().contains(type)) {
        LOG.info("skipping $export file {} of {}: not a type being loaded", i + 1, type);
      } else if (!from.done().contains(i)) {
        pending.add(i);
      }
    }
    if (pending.isEmpty()) {
      return state;
    }
    AtomicBoolean gone = new AtomicBoolean();
    AtomicLong published = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    int threads = Math.min(config.parallelism(), pending.size());
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            task -> {
              Thread thread = new Thread(task, "fhirstream-export-" + names.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> files = new ArrayList<>();
      for (int index : pending) {
        files.add(
            pool.submit(
                () -> {
                  if (!gone.get() && !publishFile(index, manifest, running, published, skipped)) {
                    gone.set(true);
                  }
                }));
      }
      for (Future<?> file : files) {
        await(file);
      }
    } finally {
      pool.shutdownNow();
    }
    LOG.info(
        "$export published {} resources from {} files ({} at once){}",
        published.get(),
        pending.size(),
        threads,
        skipped.get() == 0
            ? ""
            : " (" + skipped.get() + " unreadable lines skipped, see the warnings)");
    return gone.get() ? null : state;
  }

  /** Streams one file from where its progress stands; false when the server no longer has it. */
  private boolean publishFile(
      int index,
      ExportManifest manifest,
      BooleanSupplier running,
      AtomicLong published,
      AtomicLong skipped) {
    ExportManifest.File file = manifest.output().get(index);
    Optional<InputStream> body = client.open(file, manifest.requiresAccessToken());
    if (body.isEmpty()) {
      return false;
    }
    long first = current().line(index);
    List<ChangeEvent> batch = new ArrayList<>(config.batchSize());
    long line = 0;
    try (NdjsonLines lines = new NdjsonLines(body.get(), limits)) {
      byte[] bytes;
      while ((bytes = lines.next()) != null) {
        line++;
        if (line <= first || (bytes.length == 0 && bytes != NdjsonLines.TOO_LONG)) {
          continue;
        }
        try {
          batch.add(NdjsonLines.event(bytes, file.type(), limits));
        } catch (BadEventException e) {
          skipped.incrementAndGet();
          metrics.counter("fhirstream.source.export.skipped", "type", file.type()).increment();
          LOG.warn(
              "skipping line {} of $export file {} ({}): {}",
              line,
              index + 1,
              file.type(),
              e.getMessage());
        }
        if (batch.size() >= config.batchSize()) {
          published.addAndGet(publishBatch(batch, file.type()));
          long at = line;
          update(s -> s.at(index, at));
          requireRunning(running);
        }
      }
      published.addAndGet(publishBatch(batch, file.type()));
    } catch (IOException e) {
      throw new RetriableException(
          "reading $export file "
              + (index + 1)
              + " ("
              + file.type()
              + ") failed after line "
              + line
              + " ("
              + e.getClass().getSimpleName()
              + "); resuming from the last published line",
          e);
    }
    update(s -> s.fileDone(index));
    return true;
  }

  /** Sends and waits for the hub's acknowledgement; only then may progress be saved. */
  private int publishBatch(List<ChangeEvent> batch, String type) {
    if (batch.isEmpty()) {
      return 0;
    }
    publisher.publish(batch);
    int size = batch.size();
    metrics.counter("fhirstream.source.exported", "type", type).increment(size);
    batch.clear();
    return size;
  }

  private synchronized ExportState current() {
    return state;
  }

  /** Applies a file's progress to the shared state and saves it; one save at a time. */
  private synchronized void update(UnaryOperator<ExportState> change) {
    state = save.apply(change.apply(state));
  }

  private static void await(Future<?> file) {
    try {
      file.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while publishing $export files");
    }
  }

  static void requireRunning(BooleanSupplier running) {
    if (!running.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new CancellationException("capture is stopping");
    }
  }
}

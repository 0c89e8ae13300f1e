package io.fhirstream.demo.fhir;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo server's {@code $export} jobs: each snapshot runs on a background thread, answers are
 * kept in memory (the versions themselves, not copies) until the job expires or is cancelled.
 */
final class ExportJobs implements AutoCloseable {
  private final ResourceStore store;
  private final ExportOptions options;
  private final Clock clock;
  private final Map<String, ExportJob> jobs = new ConcurrentHashMap<>();
  private final AtomicLong kickOffs = new AtomicLong();
  private final BlobUpload blobs;
  private final ExecutorService snapshots =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "demo-fhir-export");
            thread.setDaemon(true);
            return thread;
          });

  ExportJobs(ResourceStore store, ExportOptions options, Clock clock) {
    this.store = store;
    this.options = options;
    this.clock = clock;
    this.blobs = options.blobContainer().map(BlobUpload::new).orElse(null);
  }

  /** Where finished jobs' files go when they are put into a storage container, else null. */
  BlobUpload blobs() {
    return blobs;
  }

  ExportOptions options() {
    return options;
  }

  /** Accepts a job; its snapshot runs in the background. */
  ExportJob start(String request, List<String> types, Instant since) {
    kickOffs.incrementAndGet();
    ExportJob job =
        new ExportJob(UUID.randomUUID().toString(), request, types, since, clock.instant());
    jobs.put(job.id, job);
    snapshots.execute(() -> job.snapshot(store, options.resourcesPerFile()));
    return job;
  }

  /** The job, or null when unknown, cancelled or expired. */
  ExportJob find(String id) {
    ExportJob job = jobs.get(id);
    if (job != null && !clock.instant().isBefore(job.kickOff.plus(options.expiry()))) {
      jobs.remove(id);
      return null;
    }
    return job;
  }

  /** Whether the job's answer is ready: snapshot taken and the configured duration passed. */
  boolean complete(ExportJob job) {
    return job.files() != null
        && !clock.instant().isBefore(job.kickOff.plus(options.jobDuration()));
  }

  boolean cancel(String id) {
    return jobs.remove(id) != null;
  }

  /** Forgets every job, as a server whose jobs expired. */
  void expireAll() {
    jobs.clear();
  }

  long kickOffs() {
    return kickOffs.get();
  }

  @Override
  public void close() {
    snapshots.shutdownNow();
  }
}

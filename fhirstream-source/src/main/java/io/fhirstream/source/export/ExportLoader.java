package io.fhirstream.source.export;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.source.capture.InitialLoad;
import io.fhirstream.source.http.FhirHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first load of every type without a cursor by one bulk {@code $export} (Bulk Data Access IG
 * v2): kick-off, status polls honouring {@code Retry-After}, then each NDJSON file streamed line by
 * line into the hub, in batches that are acknowledged before progress is committed.
 *
 * <p>Resumable: the job's status URL, its {@code transactionTime} and the progress (files done,
 * lines of the next file published) are kept under the cursor key {@code <source>|#export}. A
 * restart resumes the same job, skipping what was published; if the server has expired the job, a
 * new one starts, but incremental capture still starts at the FIRST job's {@code transactionTime}:
 * a resource the first job published may have been deleted before the second job's time, and only
 * history from the first time replays that deletion (the reasoning of ChangeCapture's first load).
 *
 * <p>A line that is not a resource of its file's type with an id is skipped with a warning naming
 * the file and line number and why, never the content (patient data); the server's own {@code
 * error} files are reported the same way. Both leave those resources to be loaded when they next
 * change.
 */
public final class ExportLoader implements InitialLoad {
  private static final Logger LOG = LoggerFactory.getLogger(ExportLoader.class);
  private static final String STATE = "#export";
  private static final Duration FIRST_WAIT = Duration.ofSeconds(1);

  /**
   * Jobs in a row whose status or files were gone before the load finished, after which it stops:
   * files that are never there (a storage account read without its credential answers 404) would
   * otherwise start new jobs forever.
   */
  public static final int MAX_REPLACED_JOBS = 5;

  private final String stateKey;
  private final BulkExportClient client;
  private final ExportConfig config;
  private final JsonLimits limits;
  private final EventPublisher publisher;
  private final CursorStore cursors;
  private final MeterRegistry metrics;

  /**
   * @param sourceId names the FHIR server in cursor keys, as ChangeCapture's sourceId does
   * @param http the FHIR server's client (its credentials go to the base URL's origin only)
   * @param metrics receives {@code fhirstream.source.exported} (resources published, per type) and
   *     {@code fhirstream.source.export.skipped} (unreadable lines)
   */
  public ExportLoader(
      String sourceId,
      FhirHttpClient http,
      ExportConfig config,
      JsonLimits limits,
      EventPublisher publisher,
      CursorStore cursors,
      MeterRegistry metrics) {
    this.stateKey = sourceId + "|" + STATE;
    this.client =
        new BulkExportClient(
            http,
            config.level(),
            Clock.systemUTC(),
            config.storage(),
            config.storage().origin().isPresent()
                ? config
                    .storage()
                    .client(
                        Duration.ofSeconds(10),
                        http.requestTimeout(),
                        Backoff.DEFAULT,
                        Duration.ofSeconds(60))
                : null);
    this.config = Objects.requireNonNull(config);
    this.limits = Objects.requireNonNull(limits);
    this.publisher = Objects.requireNonNull(publisher);
    this.cursors = Objects.requireNonNull(cursors);
    this.metrics = Objects.requireNonNull(metrics);
  }

  /**
   * Checks at start-up that the server advertises {@code $export}.
   *
   * @throws PipelineException naming {@code source.backfill} and the fix when it does not
   */
  public void requireServerSupport(URI baseUrl) {
    if (!client.advertisesExport()) {
      throw new PipelineException(
          "source.backfill=export: the FHIR server at "
              + baseUrl
              + " does not list the $export operation in its CapabilityStatement; enable bulk"
              + " export on the server (HAPI JPA: hapi.fhir.bulk_export_enabled=true; Azure"
              + " Health Data Services: configure an export storage account) or set"
              + " source.backfill=search");
    }
  }

  @Override
  public void load(
      List<String> types, BiConsumer<String, Instant> commitCursor, BooleanSupplier running) {
    ExportState state = cursors.load(stateKey).map(ExportLoader::parse).orElse(null);
    if (state != null && !state.types().equals(types)) {
      LOG.warn(
          "abandoning an unfinished $export of {}: the types without a cursor are now {}",
          state.types(),
          types);
      cancelQuietly(state.statusUrl());
      state = null;
    }
    if (state == null) {
      state = ExportState.start(types);
    } else {
      LOG.info(
          "resuming the $export of {}: {} files done, {} more begun",
          types,
          state.done().size(),
          state.lines().size());
    }
    for (int replaced = 0; ; replaced++) {
      if (replaced == MAX_REPLACED_JOBS) {
        throw new PipelineException(
            "the FHIR server's $export job or its files were gone (HTTP 404/410) "
                + replaced
                + " times in a row; if the server writes its files into a storage account, set"
                + " source.export.storage.url and source.export.storage.auth (a storage account"
                + " answers 404 to a read without credentials); else check how long the server"
                + " keeps export jobs");
      }
      requireRunning(running);
      if (state.statusUrl() == null) {
        state = save(state.accepted(client.kickOff(types)));
        LOG.info("$export of {} accepted by the server; polling its status", types);
      }
      ExportManifest manifest = awaitManifest(state, running);
      if (manifest != null) {
        if (state.transactionTime() == null) {
          state = save(state.complete(manifest.transactionTime()));
        }
        reportErrorFiles(manifest);
        ExportState done =
            new ExportFiles(client, config, limits, publisher, metrics, this::save)
                .publish(state, manifest, running);
        if (done != null) {
          handOver(done, commitCursor);
          return;
        }
      }
      LOG.warn(
          "the FHIR server no longer has the $export job of {} (expired); starting a new one,"
              + " incremental capture will still start at {}",
          types,
          state.handOver() == null ? "the new job's transactionTime" : state.handOver());
      state = save(state.expired());
    }
  }

  /**
   * Every file is published: each type's cursor becomes the hand-over time, then the state is
   * cleared. No safety margin is subtracted (unlike a snapshot by search, timed by this host's
   * clock): transactionTime is the server's own consistency point, on the server's clock, and the
   * IG guarantees the export holds every resource updated at or before it; history and search read
   * {@code _since} inclusively, so a write at that very instant is read again, not skipped.
   */
  private void handOver(ExportState state, BiConsumer<String, Instant> commitCursor) {
    Instant at = state.handOver();
    for (String type : state.types()) {
      commitCursor.accept(type, at);
    }
    cursors.commit(stateKey, "");
    LOG.info("$export of {} loaded; incremental capture continues from {}", state.types(), at);
    cancelQuietly(state.statusUrl()); // tells the server it may delete the files
  }

  /**
   * Polls until the manifest arrives; null when the job is gone.
   *
   * @throws PipelineException when the job failed (its progress is cleared first, so the next start
   *     kicks off a new job), or its status answered 5xx more than {@code
   *     source.export.status-retries} times in a row
   */
  private ExportManifest awaitManifest(ExportState state, BooleanSupplier running) {
    URI statusUrl = state.statusUrl();
    Duration wait = FIRST_WAIT;
    int serverErrors = 0;
    while (true) {
      requireRunning(running);
      BulkExportClient.Status status = client.status(statusUrl);
      if (status instanceof BulkExportClient.Complete complete) {
        return complete.manifest();
      }
      if (status instanceof BulkExportClient.Gone) {
        return null;
      }
      if (status instanceof BulkExportClient.Failed failed) {
        save(state.expired());
        throw new PipelineException(
            "the FHIR server's $export job failed (its status "
                + statusUrl.getRawPath()
                + " answered HTTP "
                + failed.status()
                + (failed.diagnostics().isEmpty() ? "" : ": " + failed.diagnostics())
                + "); fix the cause on the server (for Azure Health Data Services: the export"
                + " storage account and the service's access to it), then restart: a new export"
                + " starts. Or set source.backfill=search");
      }
      if (status instanceof BulkExportClient.ServerError error) {
        serverErrors++;
        if (serverErrors > config.statusRetries()) {
          throw new PipelineException(
              "the FHIR server's $export status "
                  + statusUrl.getRawPath()
                  + " answered HTTP "
                  + error.status()
                  + " "
                  + serverErrors
                  + " times in a row; check the server's logs. A restart polls the same job"
                  + " again; raise source.export.status-retries to wait longer");
        }
        Duration delay = Backoff.DEFAULT.delay(serverErrors, error.retryAfter());
        LOG.warn(
            "the $export status answered HTTP {} (attempt {} of {}); polling again in {} ms",
            error.status(),
            serverErrors,
            config.statusRetries() + 1,
            delay.toMillis());
        sleep(delay, running);
        continue;
      }
      serverErrors = 0;
      BulkExportClient.Running progress = (BulkExportClient.Running) status;
      // The server's Retry-After when it sends one, else a doubling wait; capped either way.
      wait = progress.retryAfter() != null ? progress.retryAfter() : wait.multipliedBy(2);
      if (wait.compareTo(config.maxStatusWait()) > 0) {
        wait = config.maxStatusWait();
      }
      LOG.debug("$export running ({}); next status poll in {} ms", progress.progress(), wait);
      sleep(wait, running);
    }
  }

  private void reportErrorFiles(ExportManifest manifest) {
    if (!manifest.errors().isEmpty()) {
      LOG.warn(
          "the FHIR server could not export some resources: its $export manifest lists {} error"
              + " file(s) (OperationOutcomes, types {}); those resources are loaded when they next"
              + " change; check the server's logs",
          manifest.errors().size(),
          manifest.errors().stream().map(ExportManifest.File::type).distinct().toList());
    }
  }

  private ExportState save(ExportState state) {
    cursors.commit(stateKey, state.toJson());
    return state;
  }

  private static ExportState parse(String stored) {
    if (stored.isBlank()) {
      return null; // a finished export
    }
    ExportState state = ExportState.parse(stored);
    if (state == null) {
      LOG.warn("the stored $export progress is unreadable; starting a new export");
    }
    return state;
  }

  private void cancelQuietly(URI statusUrl) {
    if (statusUrl == null) {
      return;
    }
    try {
      client.cancel(statusUrl);
    } catch (RuntimeException e) {
      LOG.info("could not tell the FHIR server to drop $export job files: {}", e.getMessage());
    }
  }

  private static void requireRunning(BooleanSupplier running) {
    if (!running.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new CancellationException("capture is stopping");
    }
  }

  private static void sleep(Duration wait, BooleanSupplier running) {
    long end = System.nanoTime() + wait.toNanos();
    try {
      while (System.nanoTime() < end) {
        requireRunning(running);
        Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the $export");
    }
  }
}

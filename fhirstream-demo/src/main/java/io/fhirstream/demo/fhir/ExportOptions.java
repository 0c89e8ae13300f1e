package io.fhirstream.demo.fhir;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the demo server runs bulk {@code $export} jobs; the defaults suit a demo, the knobs let tests
 * exercise what real servers do (slow jobs, multi-file output, expiry, an HTTP-date Retry-After,
 * files on a storage origin).
 *
 * @param resourcesPerFile at most this many resources per NDJSON file; a type with more is split
 * @param jobDuration a job answers 202 for at least this long after its kick-off
 * @param expiry how long a job and its files stay available after kick-off (404 after)
 * @param retryAfterAsDate whether a running job's {@code Retry-After} is an HTTP-date (else
 *     seconds)
 * @param fileDelay a pause before each file's body is sent, to slow a download down in tests
 * @param fileBase where the manifest says files are, instead of the server's own base URL (a
 *     storage account elsewhere); files are still served by this server only
 * @param enabled false for a server without bulk export (no endpoint, not in the
 *     CapabilityStatement), as HAPI JPA with {@code hapi.fhir.bulk_export_enabled=false}
 * @param blobContainer a storage container's URL with a SAS allowing writes: a finished job's files
 *     are uploaded there as blobs and the manifest names their URLs (without the SAS), as Azure
 *     Health Data Services does with its export storage account
 * @param failJobs whether every job fails: its status answers 500 with an OperationOutcome (issue
 *     code {@code exception}), as a server whose export storage is misconfigured
 */
public record ExportOptions(
    boolean enabled,
    int resourcesPerFile,
    Duration jobDuration,
    Duration expiry,
    boolean retryAfterAsDate,
    Duration fileDelay,
    Optional<URI> fileBase,
    Optional<URI> blobContainer,
    boolean failJobs) {

  public ExportOptions {
    if (resourcesPerFile < 1) {
      throw new IllegalArgumentException("resourcesPerFile must be at least 1");
    }
    Objects.requireNonNull(jobDuration, "jobDuration");
    Objects.requireNonNull(expiry, "expiry");
    Objects.requireNonNull(fileDelay, "fileDelay");
    Objects.requireNonNull(fileBase, "fileBase");
    Objects.requireNonNull(blobContainer, "blobContainer");
  }

  /** 10,000 resources per file, jobs done at once, kept an hour, Retry-After in seconds. */
  public static ExportOptions defaults() {
    return new ExportOptions(
        true,
        10_000,
        Duration.ZERO,
        Duration.ofHours(1),
        false,
        Duration.ZERO,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /** A server without bulk export. */
  public static ExportOptions disabled() {
    return new ExportOptions(
        false,
        1,
        Duration.ZERO,
        Duration.ofHours(1),
        false,
        Duration.ZERO,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  public ExportOptions withResourcesPerFile(int n) {
    return new ExportOptions(
        enabled,
        n,
        jobDuration,
        expiry,
        retryAfterAsDate,
        fileDelay,
        fileBase,
        blobContainer,
        failJobs);
  }

  public ExportOptions withJobDuration(Duration d) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        d,
        expiry,
        retryAfterAsDate,
        fileDelay,
        fileBase,
        blobContainer,
        failJobs);
  }

  public ExportOptions withExpiry(Duration d) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        d,
        retryAfterAsDate,
        fileDelay,
        fileBase,
        blobContainer,
        failJobs);
  }

  public ExportOptions withRetryAfterAsDate(boolean asDate) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        expiry,
        asDate,
        fileDelay,
        fileBase,
        blobContainer,
        failJobs);
  }

  public ExportOptions withFileDelay(Duration d) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        expiry,
        retryAfterAsDate,
        d,
        fileBase,
        blobContainer,
        failJobs);
  }

  public ExportOptions withFileBase(URI base) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        expiry,
        retryAfterAsDate,
        fileDelay,
        Optional.of(base),
        blobContainer,
        failJobs);
  }

  public ExportOptions withBlobContainer(URI containerWithSas) {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        expiry,
        retryAfterAsDate,
        fileDelay,
        fileBase,
        Optional.of(containerWithSas),
        failJobs);
  }

  public ExportOptions withFailingJobs() {
    return new ExportOptions(
        enabled,
        resourcesPerFile,
        jobDuration,
        expiry,
        retryAfterAsDate,
        fileDelay,
        fileBase,
        blobContainer,
        true);
  }
}

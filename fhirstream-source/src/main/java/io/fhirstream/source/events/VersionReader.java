package io.fhirstream.source.events;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.fhir.ResourceMeta;
import io.fhirstream.source.http.FhirHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads the resource versions events name ({@code GET [base]/Type/id/_history/version}, a vread),
 * several at once, through the FHIR source's client (retries, credentials on the base URL's origin
 * only). Each body is kept exactly as the server sent it. A version the server no longer has (404,
 * 410: deleted or purged since) is left out; polling or a later event covers it.
 */
final class VersionReader {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(VersionReader.class);
  private final FhirHttpClient http;
  private final JsonLimits limits;
  private final ExecutorService pool;

  VersionReader(FhirHttpClient http, JsonLimits limits, ExecutorService pool) {
    this.http = http;
    this.limits = limits;
    this.pool = pool;
  }

  /** The versions, in the order asked for; those the server no longer has are left out. */
  List<ChangeEvent> read(List<FhirResourceEvent> versions) {
    List<Future<Optional<ChangeEvent>>> reads = new ArrayList<>(versions.size());
    for (FhirResourceEvent version : versions) {
      reads.add(pool.submit(() -> read(version)));
    }
    List<ChangeEvent> out = new ArrayList<>(versions.size());
    try {
      for (Future<Optional<ChangeEvent>> read : reads) {
        read.get().ifPresent(out::add);
      }
    } catch (ExecutionException e) {
      reads.forEach(r -> r.cancel(true));
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new PipelineException("reading resource versions failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      reads.forEach(r -> r.cancel(true));
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while reading resource versions");
    }
    return out;
  }

  private Optional<ChangeEvent> read(FhirResourceEvent version) {
    URI uri =
        URI.create(
            http.base()
                + "/"
                + version.resourceType()
                + "/"
                + version.id()
                + "/_history/"
                + version.versionId());
    HttpResponse<InputStream> response =
        http.exchange("GET", uri, "application/fhir+json", null, true);
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(limits.maxDocumentBytes() + 1);
    } catch (IOException e) {
      throw new RetriableException(
          "reading " + version.reference() + " failed: " + e.getClass().getSimpleName(), e);
    }
    int status = response.statusCode();
    if (status == 404 || status == 410) {
      return Optional.empty();
    }
    if (status != 200) {
      throw new PipelineException(
          "the FHIR server answered GET "
              + version.reference()
              + " with HTTP "
              + status
              + (status == 401 || status == 403
                  ? "; check source.fhir.auth and that the client may read this type"
                  : ""));
    }
    try {
      if (body.length > limits.maxDocumentBytes()) {
        throw new BadEventException("larger than " + limits.maxDocumentBytes() + " bytes");
      }
      ResourceMeta meta = FhirJson.readMeta(body, limits);
      if (!version.resourceType().equals(meta.resourceType()) || !version.id().equals(meta.id())) {
        throw new BadEventException("not the resource asked for");
      }
      String versionId = meta.versionId() != null ? meta.versionId() : version.versionId();
      return Optional.of(
          ChangeEvent.upsert(
              version.resourceType(), version.id(), versionId, meta.lastUpdated(), body));
    } catch (BadEventException e) {
      // Left to polling, which reads (and skips) it the same way; the reason never quotes it.
      LOG.warn(
          "skipping {}: the server's answer is unusable ({})", version.reference(), e.getMessage());
      return Optional.empty();
    }
  }
}

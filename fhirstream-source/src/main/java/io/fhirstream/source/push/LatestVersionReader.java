package io.fhirstream.source.push;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.source.capture.BundlePage;
import io.fhirstream.source.capture.BundleReader;
import io.fhirstream.source.http.FhirHttpClient;
import java.net.URI;
import java.util.Optional;

/**
 * Reads the newest version of one resource for an id-only notification, through the same {@link
 * FhirHttpClient} as polling (origin pinning, credentials, retries).
 *
 * <p>It reads the instance history's first entry ({@code GET [type]/[id]/_history?_count=1}, newest
 * first) rather than {@code GET [type]/[id]}: a plain read of a deleted resource answers 410
 * without the deletion's version, while the history entry carries it, so a deletion becomes a
 * version-guarded tombstone like any other change.
 */
final class LatestVersionReader {
  private final FhirHttpClient http;

  LatestVersionReader(FhirHttpClient http) {
    this.http = http;
  }

  /**
   * @return the newest version (a deletion included), or empty when the server has none
   * @throws io.fhirstream.api.RetriableException when the server stays unreachable or busy
   * @throws io.fhirstream.api.PipelineException when it refuses the read (e.g. 404)
   */
  Optional<ChangeEvent> latest(String type, String id) {
    URI uri = URI.create(http.base() + "/" + type + "/" + id + "/_history?_count=1");
    BundlePage page = BundleReader.read(http.get(uri).body(), type);
    return page.events().stream().filter(e -> e.id().equals(id)).findFirst();
  }
}

package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.source.capture.BundlePage;
import io.fhirstream.source.capture.BundleReader;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.source.http.FhirResponse;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The FHIR server's parallel read ceiling, measured the plain way and independently of fhirstream's
 * loader: {@code readers} clients, each reading one of as many equal {@code _lastUpdated} windows
 * by following the server's {@code next} links, nothing published. The first load is judged against
 * it.
 */
public final class ParallelReadCeiling {
  private ParallelReadCeiling() {}

  /** Reads every current resource of the type once; returns resources per second. */
  static double resourcesPerSecond(
      FhirHttpClient http, String type, int readers, int pageSize, Instant before) {
    Read read = read(http, type, readers, pageSize, before);
    return read.resources() / (read.nanos() / 1e9);
  }

  /** What one read of a type took: resources read, wall time. */
  public record Read(long resources, long nanos) {}

  /**
   * Reads every current resource of the type once, {@code readers} windows at once; a type with no
   * resource reads nothing.
   */
  public static Read read(
      FhirHttpClient http, String type, int readers, int pageSize, Instant before) {
    long start = System.nanoTime();
    Instant oldest = oldestOrNull(http, type);
    if (oldest == null) {
      return new Read(0, System.nanoTime() - start);
    }
    long span = before.toEpochMilli() - oldest.toEpochMilli();
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    try {
      List<Future<Integer>> counts = new ArrayList<>();
      for (int i = 0; i < readers; i++) {
        Instant from = oldest.plusMillis(span * i / readers);
        Instant to = i == readers - 1 ? before : oldest.plusMillis(span * (i + 1) / readers);
        counts.add(pool.submit(() -> readWindow(http, type, pageSize, from, to)));
      }
      long total = 0;
      for (Future<Integer> count : counts) {
        total += count.get();
      }
      return new Read(total, System.nanoTime() - start);
    } catch (Exception e) {
      throw new PipelineException("measuring the parallel read ceiling failed: " + e, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int readWindow(
      FhirHttpClient http, String type, int pageSize, Instant from, Instant to) {
    URI first =
        URI.create(
            http.base()
                + "/"
                + type
                + "?_sort=_lastUpdated&_count="
                + pageSize
                + "&_lastUpdated=ge"
                + DateTimeFormatter.ISO_INSTANT.format(from)
                + "&_lastUpdated=lt"
                + DateTimeFormatter.ISO_INSTANT.format(to));
    int read = 0;
    FhirResponse response = http.get(first);
    while (true) {
      BundlePage page = BundleReader.read(response.body(), type);
      read += page.events().size();
      if (page.next() == null) {
        return read;
      }
      response = http.getLinked(page.next());
    }
  }

  private static Instant oldestOrNull(FhirHttpClient http, String type) {
    FhirResponse response =
        http.get(URI.create(http.base() + "/" + type + "?_sort=_lastUpdated&_count=1"));
    return BundleReader.read(response.body(), type).events().stream()
        .map(ChangeEvent::lastUpdated)
        .findFirst()
        .orElse(null);
  }
}

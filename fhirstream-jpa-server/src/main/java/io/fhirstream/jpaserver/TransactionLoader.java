package io.fhirstream.jpaserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Posts FHIR transaction Bundles (e.g. Synthea patient bundles) to a server's base URL with a
 * number of concurrent clients, and counts what the server says it created.
 *
 * <p>A bundle the server refuses stops the load with a {@link TransactionFailedException} naming
 * the bundle, the HTTP status and the OperationOutcome's diagnostics; bundles already sent stay
 * loaded. Resource bodies are never logged or put in a message.
 */
public final class TransactionLoader {
  private final URI base;
  private final int clients;
  private final Duration requestTimeout;
  private final HttpClient http;

  private TransactionLoader(URI base, int clients, Duration requestTimeout) {
    this.base = base;
    this.clients = clients;
    this.requestTimeout = requestTimeout;
    // HTTP/1.1: the JDK client would otherwise offer an h2c upgrade on every POST.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * A loader for the server at {@code baseUrl} with {@code clients} concurrent requests.
   *
   * @param requestTimeout how long one transaction may take (a Synthea bundle of 1,000 entries
   *     takes seconds on a busy 2-core machine)
   */
  public static TransactionLoader to(String baseUrl, int clients, Duration requestTimeout) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be at least 1, was " + clients);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    return new TransactionLoader(
        URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/"), clients, requestTimeout);
  }

  /** Loads each file (one transaction Bundle in JSON each). */
  public LoadResult loadFiles(List<Path> files) throws InterruptedException {
    List<NamedBundle> bundles = new ArrayList<>();
    for (Path file : files) {
      bundles.add(new NamedBundle(file.getFileName().toString(), () -> read(file)));
    }
    return load(bundles);
  }

  /** Loads each JSON bundle; the message of a failure names a bundle by its index here. */
  public LoadResult loadBundles(List<byte[]> bundles) throws InterruptedException {
    List<NamedBundle> named = new ArrayList<>();
    for (int i = 0; i < bundles.size(); i++) {
      byte[] json = bundles.get(i);
      named.add(new NamedBundle("bundle #" + i, () -> json));
    }
    return load(named);
  }

  private LoadResult load(List<NamedBundle> bundles) throws InterruptedException {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<TransactionResponse>> sent = new ArrayList<>();
      for (NamedBundle bundle : bundles) {
        sent.add(pool.submit(() -> post(bundle)));
      }
      Map<String, Long> created = new TreeMap<>();
      List<TransactionResponse> responses = new ArrayList<>();
      for (Future<TransactionResponse> future : sent) {
        TransactionResponse response = unwrap(future);
        responses.add(response);
        response.createdByType().forEach((type, n) -> created.merge(type, n, Long::sum));
      }
      return new LoadResult(
          bundles.size(), created, responses, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      pool.shutdownNow();
    }
  }

  private TransactionResponse post(NamedBundle bundle) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base)
            .timeout(requestTimeout)
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bundle.json().get()))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() / 100 != 2) {
      throw new TransactionFailedException(
          bundle.name(), response.statusCode(), TransactionResponse.diagnostics(response.body()));
    }
    return TransactionResponse.parse(bundle.name(), response.body());
  }

  private static TransactionResponse unwrap(Future<TransactionResponse> future)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TransactionFailedException failed) {
        throw failed;
      }
      throw new IllegalStateException("posting a transaction failed: " + cause, cause);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read transaction bundle " + file, e);
    }
  }

  private record NamedBundle(String name, Supplier<byte[]> json) {}

  /**
   * What a load did.
   *
   * @param bundles how many transactions were posted (each succeeded)
   * @param createdByType resources the server created, per resource type, sorted by type
   * @param responses each transaction's outcome, in the order the bundles were given
   * @param elapsed wall time of the whole load
   */
  public record LoadResult(
      int bundles,
      Map<String, Long> createdByType,
      List<TransactionResponse> responses,
      Duration elapsed) {

    /** Resources created, all types together. */
    public long created() {
      return createdByType.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** A transaction the server refused; the message carries no resource content. */
  public static final class TransactionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    TransactionFailedException(String bundle, int status, String diagnostics) {
      super(
          "the server refused transaction "
              + bundle
              + ": HTTP "
              + status
              + (diagnostics.isEmpty() ? "" : ": " + diagnostics));
      this.status = status;
    }

    /** The HTTP status the server answered with. */
    public int status() {
      return status;
    }
  }
}

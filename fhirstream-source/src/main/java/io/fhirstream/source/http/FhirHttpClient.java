package io.fhirstream.source.http;

import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.metrics.Meters;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs FHIR pages as raw bytes, retrying transient failures (connect errors, timeouts, 429, 5xx)
 * with {@link Backoff} and honouring {@code Retry-After}. Links are followed only on the configured
 * base URL's origin (scheme, host and port): a server cannot send us, or later our credentials,
 * elsewhere.
 */
public final class FhirHttpClient {
  private static final Logger LOG = LoggerFactory.getLogger(FhirHttpClient.class);

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final Retry retry;
  private final Clock clock;
  private final FhirCredentials credentials;
  private final java.util.Map<String, String> headers;
  private final AtomicLong throttled = new AtomicLong();

  /**
   * @param maxAttempts attempts per page before giving up; {@code Integer.MAX_VALUE} keeps trying
   *     while the server is down, which is what a long-running poller wants
   */
  public FhirHttpClient(
      URI base,
      Duration connectTimeout,
      Duration requestTimeout,
      Backoff backoff,
      int maxAttempts) {
    this(base, connectTimeout, requestTimeout, backoff, maxAttempts, FhirCredentials.none());
  }

  /**
   * @param bearerToken sent as {@code Authorization: Bearer} on every request, all of which go to
   *     the base URL's origin (others are refused before anything is sent); null for none
   */
  public FhirHttpClient(
      URI base,
      Duration connectTimeout,
      Duration requestTimeout,
      Backoff backoff,
      int maxAttempts,
      Secret bearerToken) {
    this(
        base,
        connectTimeout,
        requestTimeout,
        backoff,
        maxAttempts,
        bearerToken == null ? FhirCredentials.none() : FhirCredentials.bearer(bearerToken));
  }

  /**
   * @param credentials asked for the {@code Authorization} header of every request, all of which go
   *     to the base URL's origin (others are refused before anything is sent); after a 401 they are
   *     renewed once and the request is sent once more
   */
  public FhirHttpClient(
      URI base,
      Duration connectTimeout,
      Duration requestTimeout,
      Backoff backoff,
      int maxAttempts,
      FhirCredentials credentials) {
    this(
        base,
        connectTimeout,
        requestTimeout,
        backoff,
        maxAttempts,
        credentials,
        java.util.Map.of());
  }

  /**
   * @param headers sent with every request besides the usual ones, e.g. the {@code x-ms-version} a
   *     storage account wants with a bearer token
   */
  public FhirHttpClient(
      URI base,
      Duration connectTimeout,
      Duration requestTimeout,
      Backoff backoff,
      int maxAttempts,
      FhirCredentials credentials,
      java.util.Map<String, String> headers) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.headers = java.util.Map.copyOf(headers);
    this.base = Objects.requireNonNull(base);
    this.requestTimeout = requestTimeout;
    this.clock = Clock.systemUTC();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    IntervalBiFunction<Object> interval =
        (attempt, outcome) -> {
          Throwable failure = outcome.isLeft() ? outcome.getLeft() : null;
          Duration hint = failure instanceof RetryAfterException r ? r.retryAfter() : null;
          return backoff.delay(attempt, hint).toMillis();
        };
    this.retry =
        Retry.of(
            "fhir-" + base.getHost(),
            RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof RetriableException)
                .failAfterMaxAttempts(false)
                .build());
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                LOG.warn(
                    "FHIR server {} unavailable ({}); retrying in {} ms (attempt {})",
                    origin(base),
                    event.getLastThrowable() == null ? "?" : event.getLastThrowable().getMessage(),
                    event.getWaitInterval().toMillis(),
                    event.getNumberOfRetryAttempts() + 1));
  }

  /**
   * Counts every retry of this client in {@code fhirstream.retries} (stage {@code source}) by
   * cause: {@code fhir-connect}, {@code fhir-timeout}, {@code fhir-io}, {@code fhir-throttled}
   * (429) or {@code fhir-server-error} (5xx).
   *
   * @return this client
   */
  public FhirHttpClient countRetries(MeterRegistry metrics) {
    retry
        .getEventPublisher()
        .onRetry(
            event ->
                metrics
                    .counter(
                        Meters.RETRIES,
                        Meters.STAGE,
                        "source",
                        Meters.CAUSE,
                        retryCause(event.getLastThrowable()))
                    .increment());
    return this;
  }

  /** The category of a retried failure, a tag value of bounded variety. */
  static String retryCause(Throwable failure) {
    if (failure instanceof RetryAfterException) {
      return failure.getMessage() != null && failure.getMessage().startsWith("HTTP 429")
          ? "fhir-throttled"
          : "fhir-server-error";
    }
    Throwable cause = failure == null ? null : failure.getCause();
    if (cause instanceof HttpTimeoutException) {
      return "fhir-timeout";
    }
    if (cause instanceof ConnectException) {
      return "fhir-connect";
    }
    return "fhir-io";
  }

  /** How long a request may wait for its answer; also the longest pause in a streamed body. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The configured base URL. */
  public URI base() {
    return base;
  }

  /**
   * How many 429 answers (Too Many Requests) this client has had so far, retried or not: readers
   * sharing it slow down when it grows.
   */
  public long throttledCount() {
    return throttled.get();
  }

  /**
   * GETs a page, retrying transient failures.
   *
   * @throws ExpiredPageException for 404/410 on a page link, so the caller can restart its crawl
   * @throws PipelineException for anything retrying cannot fix (other 4xx, a foreign origin)
   * @throws CancellationException when the thread is interrupted
   */
  public FhirResponse get(URI uri) {
    return get(uri, false);
  }

  /**
   * GETs a page the server linked to ({@code next}); like {@link #get(URI)}, but a 404 or 410 means
   * the server expired its paging state.
   */
  public FhirResponse getLinked(URI uri) {
    return get(uri, true);
  }

  /**
   * One exchange of an asynchronous operation such as bulk {@code $export}, whose answers (202
   * while running, 404 once expired) are not failures: connect errors, timeouts, 429 and 5xx are
   * retried like {@link #get(URI)}, every other status is returned with its body unread, for the
   * caller to read (or stream) and close.
   *
   * @param method GET or DELETE
   * @param accept the {@code Accept} header, e.g. {@code application/fhir+ndjson}
   * @param prefer the {@code Prefer} header, or null for none
   * @param authorize whether to send credentials; then the URL must be on the base URL's origin
   *     (else a {@link PipelineException}, before anything is sent). Without, any origin is read
   * @throws CancellationException when the thread is interrupted
   */
  public HttpResponse<InputStream> exchange(
      String method, URI uri, String accept, String prefer, boolean authorize) {
    return exchange(method, uri, accept, prefer, authorize, false);
  }

  /**
   * Like {@link #exchange(String, URI, String, String, boolean)}; with {@code serverErrorsAnswer},
   * a 5xx is returned to the caller instead of retried, for answers whose 5xx may be final (a bulk
   * export job that failed). Connect errors, timeouts and 429 are still retried.
   */
  public HttpResponse<InputStream> exchange(
      String method,
      URI uri,
      String accept,
      String prefer,
      boolean authorize,
      boolean serverErrorsAnswer) {
    if (authorize) {
      requireSameOrigin(uri);
    } else if (uri.getRawUserInfo() != null) {
      throw new PipelineException("refusing a URL with user info: " + describe(uri));
    }
    try {
      return Retry.decorateCheckedSupplier(
              retry, () -> exchangeOnce(method, uri, accept, prefer, authorize, serverErrorsAnswer))
          .get();
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new PipelineException(
          method + " " + uri.getRawPath() + " failed: " + e.getMessage(), e);
    }
  }

  private HttpResponse<InputStream> exchangeOnce(
      String method,
      URI uri,
      String accept,
      String prefer,
      boolean authorize,
      boolean serverErrorsAnswer) {
    String authorization = authorize ? credentials.authorization().orElse(null) : null;
    HttpResponse<InputStream> response = sendStreaming(method, uri, accept, prefer, authorization);
    if (response.statusCode() == 401
        && authorization != null
        && credentials.renewAfterUnauthorized(authorization)) {
      closeQuietly(response.body());
      response =
          sendStreaming(method, uri, accept, prefer, credentials.authorization().orElse(null));
    }
    int status = response.statusCode();
    if (status == 429 || (status >= 500 && !serverErrorsAnswer)) {
      closeQuietly(response.body());
      throw new RetryAfterException(
          "HTTP " + status + " for " + method + " " + uri.getRawPath(),
          HttpDates.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock),
          null);
    }
    return response;
  }

  private HttpResponse<InputStream> sendStreaming(
      String method, URI uri, String accept, String prefer, String authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", accept)
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(builder::header);
    if (prefer != null) {
      builder.header("Prefer", prefer);
    }
    if (authorization != null) {
      // Safe: exchange() checked the origin first, and redirects are never followed.
      builder.header("Authorization", authorization);
    }
    return send(
        builder.build(),
        HttpResponse.BodyHandlers.ofInputStream(),
        method + " " + uri.getRawPath());
  }

  /** Sends once; a failure retrying may fix is a {@link RetriableException}. */
  private <T> HttpResponse<T> send(
      HttpRequest request, HttpResponse.BodyHandler<T> body, String what) {
    try {
      return http.send(request, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted during " + what);
    } catch (HttpTimeoutException e) {
      throw new RetriableException("timed out after " + requestTimeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new RetriableException("connection refused", e);
    } catch (IOException e) {
      throw new RetriableException("I/O error: " + e.getClass().getSimpleName(), e);
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // the response is abandoned either way
    }
  }

  private FhirResponse get(URI uri, boolean serverLink) {
    requireSameOrigin(uri);
    try {
      return Retry.decorateCheckedSupplier(retry, () -> getOnce(uri, serverLink)).get();
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new PipelineException("reading " + describe(uri) + " failed: " + e.getMessage(), e);
    }
  }

  private FhirResponse getOnce(URI uri, boolean serverLink) {
    String authorization = credentials.authorization().orElse(null);
    HttpResponse<byte[]> response = send(uri, authorization);
    if (response.statusCode() == 401
        && authorization != null
        && credentials.renewAfterUnauthorized(authorization)) {
      response = send(uri, credentials.authorization().orElse(null));
    }
    return answer(uri, serverLink, response);
  }

  private HttpResponse<byte[]> send(URI uri, String authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/fhir+json");
    headers.forEach(builder::header);
    if (authorization != null) {
      // Safe: requireSameOrigin ran first, and redirects are never followed.
      builder.header("Authorization", authorization);
    }
    return send(builder.GET().build(), HttpResponse.BodyHandlers.ofByteArray(), describe(uri));
  }

  private FhirResponse answer(URI uri, boolean serverLink, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new FhirResponse(
          response.body(), HttpDates.httpDate(response.headers().firstValue("Date").orElse(null)));
    }
    if (status == 429) {
      throttled.incrementAndGet();
    }
    if (status == 429 || status >= 500) {
      throw new RetryAfterException(
          "HTTP " + status,
          HttpDates.retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock),
          null);
    }
    if ((status == 404 || status == 410) && serverLink) {
      throw new ExpiredPageException("paging link expired (HTTP " + status + ")");
    }
    if (status >= 300 && status < 400) {
      throw new PipelineException(
          "the FHIR server answered "
              + describe(uri)
              + " with a redirect (HTTP "
              + status
              + "); set source.fhir.base-url to the URL it redirects to");
    }
    if (status == 401 || status == 403) {
      throw new PipelineException(
          "the FHIR server refused "
              + describe(uri)
              + " (HTTP "
              + status
              + (status == 401
                  ? "); it did not accept fhirstream's credentials: check source.fhir.auth and"
                      + " its settings"
                  : "); the credentials are valid but not allowed this read: grant the client"
                      + " read access (or the scope) for this resource type"));
    }
    throw new PipelineException(
        "the FHIR server answered " + describe(uri) + " with HTTP " + status);
  }

  private void requireSameOrigin(URI uri) {
    if (!origin(uri).equals(origin(base)) || uri.getRawUserInfo() != null) {
      throw new PipelineException(
          "the FHIR server sent a link to another origin ("
              + uri.getScheme()
              + "://"
              + uri.getHost()
              + ":"
              + port(uri)
              + "); fhirstream only follows links on "
              + origin(base)
              + ". Check the server's base URL configuration.");
    }
  }

  /** scheme://host:port, the unit of trust. */
  public static String origin(URI uri) {
    String scheme =
        uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(java.util.Locale.ROOT);
    return scheme + "://" + host + ":" + port(uri);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** The path of a URL without its query: log-safe. */
  static String describe(URI uri) {
    return "GET " + uri.getRawPath();
  }
}

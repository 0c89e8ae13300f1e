package io.fhirstream.demo.fhir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rest-hook notifications the way HAPI FHIR's JPA server does, asynchronously after each
 * write:
 *
 * <ul>
 *   <li>create or update, with {@code channel.payload}: {@code PUT {endpoint}/{Type}/{id}} with the
 *       version's JSON;
 *   <li>create or update, without payload: {@code POST {endpoint}} with no body (it names no
 *       resource);
 *   <li>delete: nothing, unless the Subscription asks with HAPI's {@code
 *       subscription-send-delete-messages} extension: then {@code DELETE {endpoint}/{Type}/{id}}.
 * </ul>
 *
 * Every request carries the {@code channel.header}s. A failed delivery (connection error or a
 * non-2xx answer) is retried a few times with growing pauses, then dropped, as real servers do —
 * which is why fhirstream keeps polling as a safety net. Deliveries run on a pool, so notifications
 * of one resource may arrive out of order; the store's version guard makes that harmless.
 */
final class RestHookNotifier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestHookNotifier.class);
  private static final int ATTEMPTS = 4;
  private static final long FIRST_RETRY_MILLIS = 100;

  private final Supplier<Iterable<RestHook>> hooks;
  private final ExecutorService pool;
  private final HttpClient http;
  private final LongAdder delivered = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder refused = new LongAdder();

  RestHookNotifier(Supplier<Iterable<RestHook>> hooks, int threads) {
    this.hooks = hooks;
    AtomicInteger count = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "demo-fhir-resthook-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** Queues the notifications a written version triggers; returns at once. */
  void written(ResourceVersion version) {
    for (RestHook hook : hooks.get()) {
      if (!hook.resourceType().equals(version.resourceType())
          || (version.deleted() && !hook.sendDeletes())) {
        continue;
      }
      try {
        pool.execute(() -> deliver(hook, version));
      } catch (RejectedExecutionException e) {
        return; // stopped
      }
    }
  }

  /** Notifications delivered (answered 2xx). */
  long delivered() {
    return delivered.sum();
  }

  /** Notifications given up after every attempt failed. */
  long dropped() {
    return dropped.sum();
  }

  /** Attempts answered 401 or 403 (e.g. a wrong secret in channel.header). */
  long refused() {
    return refused.sum();
  }

  private void deliver(RestHook hook, ResourceVersion version) {
    HttpRequest request = request(hook, version);
    long pause = FIRST_RETRY_MILLIS;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
          delivered.increment();
          return;
        }
        if (status == 401 || status == 403) {
          refused.increment();
        }
        LOG.debug("rest-hook for {} answered {}", version.versionedReference(), status);
      } catch (IOException e) {
        LOG.debug("rest-hook for {} failed: {}", version.versionedReference(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        pause *= 4;
      }
    }
    dropped.increment();
    LOG.warn(
        "rest-hook notification for {} dropped after {} attempts (Subscription {})",
        version.versionedReference(),
        ATTEMPTS,
        hook.subscriptionId());
  }

  private static HttpRequest request(RestHook hook, ResourceVersion version) {
    String base = hook.endpoint().toString();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    URI resource = URI.create(base + "/" + version.resourceType() + "/" + version.id());
    HttpRequest.Builder builder = HttpRequest.newBuilder().timeout(Duration.ofSeconds(30));
    for (String[] header : hook.headers()) {
      builder.header(header[0], header[1]);
    }
    if (version.deleted()) {
      return builder.uri(resource).DELETE().build();
    }
    if (hook.fullResource()) {
      return builder
          .uri(resource)
          .header("Content-Type", "application/fhir+json; charset=UTF-8")
          .PUT(
              HttpRequest.BodyPublishers.ofString(
                  version.json().orElseThrow(), StandardCharsets.UTF_8))
          .build();
    }
    return builder.uri(hook.endpoint()).POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}

package io.fhirstream.source.push;

import io.fhirstream.api.BadEventException;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import io.fhirstream.api.fhir.FhirJson;
import io.fhirstream.api.fhir.JsonLimits;
import io.fhirstream.api.fhir.ResourceMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ObjLongConsumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one rest-hook notification (R4 Subscription, channel type rest-hook).
 *
 * <p>Order of checks: method, path, secret (401 before the body is read), size, then the body.
 *
 * <ul>
 *   <li>{@code PUT|POST {path}/{Type}/{id}} with a body: the resource itself (HAPI sends {@code
 *       channel.payload=application/fhir+json} this way). Validated with {@link FhirJson} within
 *       the configured limits; its type and id must match the URL. Published as received.
 *   <li>the same without a body, or {@code DELETE {path}/{Type}/{id}}: id-only; the newest version
 *       is read from the FHIR server ({@link LatestVersionReader}) and published.
 *   <li>{@code POST {path}} or {@code {path}/{Type}} without a body: the R4 notification without
 *       payload names no resource, so the next safety-net poll starts at once.
 * </ul>
 *
 * <p>200 is answered only after the hub acknowledged the change, so a notification lost on the way
 * to Kafka is one the server retries. A body that is not a valid resource is answered 400 and not
 * published: nothing was taken from the hub, so there is nothing to dead-letter, and the safety-net
 * poll reads the real resource from the server anyway. Bodies are never logged.
 */
final class NotificationHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationHandler.class);

  private final String path;
  private final String secretHeader;
  private final SecretCheck secret;
  private final Set<String> types;
  private final JsonLimits limits;
  private final LatestVersionReader reader;
  private final AckingPublisher publisher;
  private final Runnable pollNow;
  private final Duration ackTimeout;
  private final MeterRegistry metrics;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final PushDelay delay;
  private volatile ObjLongConsumer<ChangeEvent> onArrival = (event, at) -> {};
  // When the request being handled on this thread arrived: publish() runs on the request's thread.
  private static final ThreadLocal<Long> ARRIVED = new ThreadLocal<>();

  NotificationHandler(
      PushConfig config,
      java.util.Collection<String> types,
      JsonLimits limits,
      LatestVersionReader reader,
      AckingPublisher publisher,
      Runnable pollNow,
      Duration ackTimeout,
      MeterRegistry metrics,
      PushDelay delay) {
    super(InvocationType.BLOCKING);
    this.delay = delay;
    this.path = config.path();
    this.secretHeader = config.secretHeader();
    this.secret = new SecretCheck(config.expectedHeaderValue());
    this.types = Set.copyOf(types);
    this.limits = limits;
    this.reader = reader;
    this.publisher = publisher;
    this.pollNow = pollNow;
    this.ackTimeout = ackTimeout;
    this.metrics = metrics;
  }

  /** See {@link PushEndpoint#onArrival}. */
  void onArrival(ObjLongConsumer<ChangeEvent> listener) {
    this.onArrival = listener;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    ARRIVED.set(System.nanoTime());
    Answer answer;
    try {
      answer = answer(request);
    } catch (RuntimeException e) {
      LOG.warn("notification failed: {}", e.getMessage());
      answer = new Answer(500, "internal error", "error");
    }
    count(answer.outcome());
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (answer.status() == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    response.write(
        true, ByteBuffer.wrap((answer.text() + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** A status, a short log-safe text, and the outcome it is counted under. */
  private record Answer(int status, String text, String outcome) {}

  private Answer answer(Request request) {
    String method = request.getMethod();
    if (!method.equals("POST") && !method.equals("PUT") && !method.equals("DELETE")) {
      return new Answer(405, "use POST, PUT or DELETE", "rejected");
    }
    NotificationTarget target = NotificationTarget.parse(path, request.getHttpURI().getPath());
    if (target == null) {
      return new Answer(404, "not a notification path", "rejected");
    }
    // Before anything else is read or looked up: an unauthenticated caller learns nothing.
    if (!secret.accepts(request.getHeaders().get(secretHeader))) {
      LOG.warn("notification refused: wrong or missing {} header", secretHeader);
      return new Answer(401, "wrong or missing secret", "unauthorized");
    }
    if (target.type() != null && !types.contains(target.type())) {
      return new Answer(404, target.type() + " is not captured", "rejected");
    }
    byte[] body;
    try {
      body = readBody(request);
    } catch (IOException e) {
      return new Answer(400, "could not read the body", "invalid");
    }
    if (body == null) {
      return new Answer(413, "body larger than " + limits.maxDocumentBytes() + " bytes", "invalid");
    }
    if (method.equals("DELETE") || body.length == 0) {
      return idOnly(target);
    }
    return fullResource(target, body);
  }

  private Answer fullResource(NotificationTarget target, byte[] body) {
    ResourceMeta meta;
    try {
      meta = FhirJson.readMeta(body, limits);
    } catch (BadEventException e) {
      return new Answer(400, "not a valid resource: " + e.getMessage(), "invalid");
    }
    if (!types.contains(meta.resourceType())) {
      return new Answer(400, "the resource's type is not captured", "invalid");
    }
    if (target.type() != null && !target.type().equals(meta.resourceType())) {
      return new Answer(400, "resourceType does not match the URL", "invalid");
    }
    if (!NotificationTarget.isValidId(meta.id())) {
      return new Answer(400, "the resource has no valid id", "invalid");
    }
    if (target.id() != null && !target.id().equals(meta.id())) {
      return new Answer(400, "the resource's id does not match the URL", "invalid");
    }
    delay.arrived(meta.lastUpdated());
    if (meta.versionId() == null && meta.lastUpdated() == null) {
      // Without a version the store could not order it against other writes: read it instead.
      return idOnly(new NotificationTarget(meta.resourceType(), meta.id()));
    }
    return publish(
        ChangeEvent.upsert(
            meta.resourceType(), meta.id(), meta.versionId(), meta.lastUpdated(), body));
  }

  private Answer idOnly(NotificationTarget target) {
    if (!target.namesResource()) {
      pollNow.run();
      return new Answer(200, "polling now", "poll");
    }
    Optional<ChangeEvent> latest;
    try {
      latest = reader.latest(target.type(), target.id());
    } catch (RetriableException e) {
      return new Answer(503, "the FHIR server is unavailable; retry later", "unavailable");
    } catch (PipelineException e) {
      LOG.warn("reading a notified {} failed: {}", target.type(), e.getMessage());
      return new Answer(502, "the FHIR server refused the read", "unavailable");
    }
    if (latest.isEmpty()) {
      return new Answer(404, "no such resource on the FHIR server", "rejected");
    }
    return publish(latest.get());
  }

  private Answer publish(ChangeEvent event) {
    Long arrived = ARRIVED.get();
    if (arrived != null) {
      onArrival.accept(event, arrived);
    }
    try {
      publisher.publish(event).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.debug("pushed {}", event);
      return new Answer(200, "published", "published");
    } catch (ExecutionException | TimeoutException e) {
      return new Answer(503, "the event hub did not acknowledge; retry later", "unavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(503, "stopping", "unavailable");
    }
  }

  /** The body, empty when there is none, or null when it exceeds the document limit. */
  private byte[] readBody(Request request) throws IOException {
    long declared = request.getLength();
    int max = limits.maxDocumentBytes();
    if (declared > max) {
      return null;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes(max == Integer.MAX_VALUE ? max : max + 1);
      return body.length > max ? null : body;
    }
  }

  private void count(String outcome) {
    outcomes
        .computeIfAbsent(
            outcome,
            o ->
                Counter.builder("fhirstream.source.push.notifications")
                    .description("Rest-hook notifications received, by outcome")
                    .tag("outcome", o)
                    .register(metrics))
        .increment();
  }
}

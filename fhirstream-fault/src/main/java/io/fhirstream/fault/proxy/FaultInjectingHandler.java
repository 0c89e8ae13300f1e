package io.fhirstream.fault.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's reverse {@link ProxyHandler} with faults: each faultable request (see {@link
 * RequestMatcher}) draws from the current {@link FaultPlan} and is then either forwarded, answered
 * with an error, reset, forwarded with a truncated body, or forwarded late.
 *
 * <p>The request URI keeps its path and query and only changes origin, and the client's {@code
 * Host} header is forwarded as is (Jetty's default), so the server builds its paging links from the
 * proxy's address and the client keeps talking to the proxy.
 */
final class FaultInjectingHandler extends ProxyHandler.Reverse {
  private static final Logger log = LoggerFactory.getLogger(FaultInjectingHandler.class);
  private static final String TRUNCATE_AT = FaultInjectingHandler.class.getName() + ".truncateAt";

  private final String basePath;
  private final FaultCounters counters;
  private final Clock clock;
  private final Random random; // guarded by itself: draws in request order make a run reproducible
  private volatile FaultPlan plan;

  FaultInjectingHandler(
      HttpURI upstream, FaultPlan plan, long seed, FaultCounters counters, Clock clock) {
    super(
        request ->
            HttpURI.build(request.getHttpURI())
                .scheme(upstream.getScheme())
                .host(upstream.getHost())
                .port(upstream.getPort()));
    this.basePath = upstream.getPath() == null ? "" : upstream.getPath();
    this.plan = Objects.requireNonNull(plan, "plan");
    this.random = new Random(seed);
    this.counters = counters;
    this.clock = clock;
    setUseServerThreadPool(true);
    // Jetty would otherwise resolve the local host name for the Via header, which can hang on DNS.
    setViaHost("fhirstream-fault-proxy");
  }

  void setPlan(FaultPlan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
  }

  FaultPlan plan() {
    return plan;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpURI uri = request.getHttpURI();
    RequestKind kind =
        RequestMatcher.classify(basePath, request.getMethod(), uri.getPath(), uri.getQuery());
    counters.received(kind);
    Decision decision = kind.faultable() ? decide(kind) : Decision.FORWARD;
    if (decision.fault() == null) {
      return forward(request, response, callback);
    }
    counters.injected(decision.fault());
    // The path names the resource type and at most an id; the query may carry search values.
    log.debug("Injecting {} into {} {}", decision.fault(), request.getMethod(), uri.getPath());
    FaultPlan applied = decision.plan();
    switch (decision.fault()) {
      case TOO_MANY_REQUESTS ->
          FaultResponses.tooManyRequests(response, callback, applied.retryAfterSeconds());
      case SERVICE_UNAVAILABLE ->
          FaultResponses.serviceUnavailable(
              response, callback, clock.instant(), applied.retryAfterSeconds());
      case INTERNAL_ERROR -> FaultResponses.internalError(response, callback);
      case EXPIRED_PAGE -> FaultResponses.expiredPage(response, callback);
      case CONNECTION_RESET -> reset(request, callback);
      case TRUNCATED_BODY -> {
        request.setAttribute(TRUNCATE_AT, decision.cutFraction());
        forward(request, response, callback);
      }
      case STALL ->
          request
              .getComponents()
              .getScheduler()
              .schedule(
                  () -> forwardLate(request, response, callback),
                  applied.stallDuration().toMillis(),
                  TimeUnit.MILLISECONDS);
    }
    return true;
  }

  private Decision decide(RequestKind kind) {
    synchronized (random) {
      FaultPlan current = plan;
      Fault fault = current.choose(kind, random.nextDouble());
      double cut = fault == Fault.TRUNCATED_BODY ? random.nextDouble() : 0;
      return new Decision(fault, current, cut);
    }
  }

  private boolean forward(Request request, Response response, Callback callback) {
    counters.forwarded();
    return super.handle(request, response, callback);
  }

  private void forwardLate(Request request, Response response, Callback callback) {
    try {
      forward(request, response, callback);
    } catch (RuntimeException e) {
      callback.failed(e);
    }
  }

  /**
   * Closes the client's connection with SO_LINGER 0, so the kernel sends a TCP RST and the client's
   * read fails with "connection reset", as when a server or load balancer dies mid-request, rather
   * than seeing the orderly end of stream of an idle connection closed by the server.
   * (java.net.http still retries a GET once when no response byte arrived; each attempt draws
   * anew.)
   */
  private static void reset(Request request, Callback callback) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (endPoint.getTransport() instanceof SocketChannel channel) {
      try {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        log.debug("Could not set SO_LINGER 0; the connection is closed without a reset", e);
      }
    }
    EofException cause = new EofException("Connection reset injected by the fault proxy");
    endPoint.close(cause);
    callback.failed(cause);
  }

  @Override
  protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      Response proxyToClientResponse,
      Callback proxyToClientCallback) {
    if (clientToProxyRequest.getAttribute(TRUNCATE_AT) instanceof Double fraction) {
      return new TruncatingListener(
          clientToProxyRequest,
          proxyToServerRequest,
          proxyToClientResponse,
          proxyToClientCallback,
          fraction);
    }
    return super.newServerToProxyResponseListener(
        clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
  }

  private record Decision(Fault fault, FaultPlan plan, double cutFraction) {
    static final Decision FORWARD = new Decision(null, null, 0);
  }

  /**
   * Forwards the server's status and headers and a prefix of its body strictly shorter than the
   * body, then closes the client's connection and aborts the server's response: the client gets
   * fewer bytes than the {@code Content-Length}, or a chunked body without its last chunk.
   *
   * <p>The prefix is the given fraction of the body. With a {@code Content-Length} the body streams
   * through until the cut; without one (HAPI streams every response in chunks) the body is held
   * until it is complete, so the cut can fall anywhere in it, not only in the first chunk.
   */
  private final class TruncatingListener extends ProxyResponseListener {
    private final Request clientToProxyRequest;
    private final Response proxyToClientResponse;
    private final Callback proxyToClientCallback;
    private final double fraction;
    private long bytesBeforeCut; // when streaming: how much more to forward
    private ByteArrayOutputStream held; // when the length is unknown: the body so far
    private boolean cut;

    TruncatingListener(
        Request clientToProxyRequest,
        org.eclipse.jetty.client.Request proxyToServerRequest,
        Response proxyToClientResponse,
        Callback proxyToClientCallback,
        double fraction) {
      super(
          clientToProxyRequest, proxyToServerRequest, proxyToClientResponse, proxyToClientCallback);
      this.clientToProxyRequest = clientToProxyRequest;
      this.proxyToClientResponse = proxyToClientResponse;
      this.proxyToClientCallback = proxyToClientCallback;
      this.fraction = fraction;
    }

    @Override
    public void onHeaders(org.eclipse.jetty.client.Response serverToProxyResponse) {
      super.onHeaders(serverToProxyResponse);
      long length = serverToProxyResponse.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if (length > 0) {
        bytesBeforeCut = (long) (fraction * length);
      } else {
        held = new ByteArrayOutputStream();
      }
    }

    @Override
    public void onContent(
        org.eclipse.jetty.client.Response serverToProxyResponse,
        Content.Chunk chunk,
        Runnable demander) {
      if (cut) {
        return;
      }
      ByteBuffer content = chunk.getByteBuffer();
      if (held != null) {
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        held.writeBytes(bytes);
        demander.run();
      } else if (content.remaining() < bytesBeforeCut) {
        bytesBeforeCut -= content.remaining();
        super.onContent(serverToProxyResponse, chunk, demander);
      } else {
        ByteBuffer prefix = content.slice().limit((int) bytesBeforeCut);
        chunk.retain();
        sendPrefixAndAbort(prefix, chunk::release, serverToProxyResponse);
      }
    }

    @Override
    public void onSuccess(org.eclipse.jetty.client.Response serverToProxyResponse) {
      if (cut) {
        return;
      }
      if (held != null && held.size() > 0) {
        byte[] body = held.toByteArray();
        ByteBuffer prefix = ByteBuffer.wrap(body, 0, (int) (fraction * body.length));
        sendPrefixAndAbort(prefix, () -> {}, serverToProxyResponse);
      } else { // an empty body: nothing to cut, so send nothing at all
        cut = true;
        abort(serverToProxyResponse);
      }
    }

    @Override
    public void onComplete(Result result) {
      if (!cut) {
        super.onComplete(result); // the server failed before the cut: report it as Jetty does
      }
    }

    private void sendPrefixAndAbort(
        ByteBuffer prefix,
        Runnable release,
        org.eclipse.jetty.client.Response serverToProxyResponse) {
      cut = true;
      Runnable releaseAndAbort =
          () -> {
            release.run();
            abort(serverToProxyResponse);
          };
      proxyToClientResponse.write(
          false, prefix, Callback.from(releaseAndAbort, failure -> releaseAndAbort.run()));
    }

    private void abort(org.eclipse.jetty.client.Response serverToProxyResponse) {
      EofException cause = new EofException("Response body truncated by the fault proxy");
      clientToProxyRequest.getConnectionMetaData().getConnection().getEndPoint().close(cause);
      proxyToClientCallback.failed(cause);
      serverToProxyResponse.abort(cause);
    }
  }
}

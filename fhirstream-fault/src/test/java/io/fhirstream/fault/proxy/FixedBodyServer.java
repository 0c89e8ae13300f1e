package io.fhirstream.fault.proxy;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * An upstream on 127.0.0.1 that answers every request with the same body, so what a client receives
 * through the proxy can be compared byte for byte: in one piece with its Content-Length for {@code
 * /fhir/Patient} (HAPI never sends one), in 4 KiB chunks without a length for any other path.
 */
final class FixedBodyServer {
  private FixedBodyServer() {}

  /** Starts a server; the caller stops it. Its FHIR base is {@code getURI().resolve("/fhir")}. */
  static Server start(byte[] body) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new FixedBody(body));
    server.start();
    return server;
  }

  private static final class FixedBody extends Handler.Abstract {
    private final byte[] body;

    FixedBody(byte[] body) {
      this.body = body;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/fhir+json");
      if (request.getHttpURI().getPath().equals("/fhir/Patient")) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
      for (int offset = 0; offset < body.length; offset += 4096) {
        FutureCallback written = new FutureCallback();
        response.write(
            false, ByteBuffer.wrap(body, offset, Math.min(4096, body.length - offset)), written);
        written.get(); // a blocking handler may wait: it runs on a pooled thread
      }
      response.write(true, BufferUtil.EMPTY_BUFFER, callback);
      return true;
    }
  }
}

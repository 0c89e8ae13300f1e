package io.fhirstream.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A body that stops arriving fails the read instead of hanging it, and nothing else. */
class StalledReadGuardTest {

  @Test
  void aBodyThatStallsMidwayFailsTheReadAndLeavesTheThreadUninterrupted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/file.ndjson",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked
          OutputStream out = exchange.getResponseBody();
          out.write("{\"line\":1}\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          try {
            release.await(30, TimeUnit.SECONDS); // the server hangs mid-file
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    try {
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + server.getAddress().getPort() + "/file.ndjson"))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(
                  new StalledReadGuard(response.body(), Duration.ofMillis(300)),
                  StandardCharsets.UTF_8))) {
        assertThat(lines.readLine()).isEqualTo("{\"line\":1}");
        long start = System.nanoTime();
        assertThatThrownBy(lines::readLine)
            .isInstanceOf(IOException.class)
            .hasMessageContaining("sent nothing");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
      }
    } finally {
      release.countDown();
      server.stop(0);
    }
  }

  @Test
  void timeBetweenReadsIsNotAStall() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    try (InputStream body =
        new StalledReadGuard(new PipedInputStream(writer), Duration.ofMillis(200))) {
      writer.write(1);
      assertThat(body.read()).isEqualTo(1);
      Thread.sleep(600); // the caller is busy elsewhere, e.g. publishing what it read
      writer.write(2);
      assertThat(body.read()).isEqualTo(2);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }
}

package io.fhirstream.source.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fhirstream.api.Backoff;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.RetriableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries, Retry-After and origin pinning against a real HTTP server on 127.0.0.1. */
class FhirHttpClientTest {
  private HttpServer server;
  private URI base;
  private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile String retryAfter;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/fhir",
        exchange -> {
          arrivals.add(System.nanoTime());
          if (failuresLeft.getAndDecrement() > 0) {
            if (retryAfter != null) {
              exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(failureStatus, -1);
          } else {
            byte[] body = "{\"resourceType\":\"Bundle\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private FhirHttpClient client(int attempts) {
    return new FhirHttpClient(
        base,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        new Backoff(Duration.ofMillis(10), Duration.ofSeconds(5)),
        attempts);
  }

  @Test
  void serviceUnavailableIsRetriedAfterTheServersRetryAfter() {
    failuresLeft.set(1);
    retryAfter = "1";

    FhirResponse response = client(5).get(URI.create(base + "/Patient/_history"));

    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("Bundle");
    assertThat(arrivals).hasSize(2);
    long waitedMillis = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
    assertThat(waitedMillis).as("waited as the server asked").isGreaterThanOrEqualTo(900);
  }

  @Test
  void tooManyRequestsAndServerErrorsAreRetriedWithBackoff() {
    failureStatus = 429;
    failuresLeft.set(3);

    client(5).get(URI.create(base + "/Patient"));

    assertThat(arrivals).hasSize(4);
  }

  @Test
  void givesUpAfterTheAttemptsWithARetriableError() {
    failureStatus = 500;
    failuresLeft.set(100);

    assertThatThrownBy(() -> client(3).get(URI.create(base + "/Patient")))
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("HTTP 500");
    assertThat(arrivals).hasSize(3);
  }

  @Test
  void clientErrorsAreNotRetried() {
    failureStatus = 400;
    failuresLeft.set(1);

    assertThatThrownBy(() -> client(5).get(URI.create(base + "/Patient")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("HTTP 400");
    assertThat(arrivals).hasSize(1);
  }

  @Test
  void expiredPagingLinkIsReportedForARestart() {
    failureStatus = 410;
    failuresLeft.set(1);

    assertThatThrownBy(() -> client(5).getLinked(URI.create(base + "?_getpages=x")))
        .isInstanceOf(ExpiredPageException.class);
  }

  @Test
  void linksToAnotherOriginAreNeverFollowed() {
    for (String foreign :
        List.of(
            "http://127.0.0.2:" + server.getAddress().getPort() + "/fhir?_getpages=x",
            "http://127.0.0.1:1/fhir?_getpages=x",
            "https://127.0.0.1:" + server.getAddress().getPort() + "/fhir?_getpages=x",
            "http://user@127.0.0.1:" + server.getAddress().getPort() + "/fhir?_getpages=x")) {
      assertThatThrownBy(() -> client(5).getLinked(URI.create(foreign)))
          .as(foreign)
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("another origin");
    }
    assertThat(arrivals).isEmpty();
  }

  @Test
  void bearerTokenGoesToTheConfiguredOriginAndNowhereElse() throws Exception {
    List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    server.createContext(
        "/fhir/token",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    HttpServer evil =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> evilSaw = Collections.synchronizedList(new ArrayList<>());
    evil.createContext(
        "/",
        exchange -> {
          evilSaw.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    evil.start();
    try {
      FhirHttpClient client =
          new FhirHttpClient(
              base,
              Duration.ofSeconds(2),
              Duration.ofSeconds(5),
              new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)),
              2,
              new io.fhirstream.api.config.Secret("t0ken-canary"));
      client.get(URI.create(base + "/token"));
      assertThat(authorizations).containsExactly("Bearer t0ken-canary");

      URI foreign =
          URI.create("http://127.0.0.1:" + evil.getAddress().getPort() + "/fhir?_getpages=1");
      assertThatThrownBy(() -> client.getLinked(foreign))
          .isInstanceOf(PipelineException.class)
          .hasMessageNotContaining("t0ken-canary");
      assertThat(evilSaw).isEmpty();
    } finally {
      evil.stop(0);
    }
  }

  @Test
  void staticCredentialsAreNotRetriedAfterA401() {
    List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    server.createContext(
        "/fhir/protected",
        exchange -> {
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          exchange.sendResponseHeaders(401, -1);
          exchange.close();
        });
    FhirHttpClient client =
        new FhirHttpClient(
            base,
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            new Backoff(Duration.ofMillis(10), Duration.ofSeconds(1)),
            3,
            io.fhirstream.source.http.FhirCredentials.basic(
                "reader", new io.fhirstream.api.config.Secret("pa55-canary")));

    assertThatThrownBy(() -> client.get(URI.create(base + "/protected")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("source.fhir.auth")
        .hasMessageNotContaining("pa55-canary");
    assertThat(authorizations).hasSize(1);
    assertThat(authorizations.get(0)).startsWith("Basic ");
  }

  @Test
  void hostileLinksAreRefusedBeforeAnythingIsSent() {
    int port = server.getAddress().getPort();
    for (String hostile :
        List.of(
            "http://127.0.0.1.evil.example:" + port + "/fhir?_getpages=x",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "http://127.0.0.1:" + port + "@evil.example/fhir",
            "https://127.0.0.1:" + port + "/fhir")) {
      assertThatThrownBy(() -> client(2).getLinked(URI.create(hostile)))
          .as(hostile)
          .isInstanceOf(PipelineException.class);
    }
    assertThat(arrivals).isEmpty();
  }

  @Test
  void redirectsAreNeverFollowed() {
    server.createContext(
        "/fhir/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    assertThatThrownBy(() -> client(2).get(URI.create(base + "/moved")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("redirect");
  }
}

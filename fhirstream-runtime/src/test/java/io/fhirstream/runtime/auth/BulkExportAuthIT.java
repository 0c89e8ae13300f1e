package io.fhirstream.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.PipelineException;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.ExportOptions;
import io.fhirstream.demo.fhir.TokenRequirements;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.HttpUrl;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code $export} against the demo server in protected mode (tokens from a real OAuth2 server on
 * 127.0.0.1): the manifest says {@code requiresAccessToken}, the token goes with the kick-off, the
 * status polls and the files on the FHIR server's origin, and never to another origin: a manifest
 * naming files elsewhere stops the load before anything is sent there. Neither the client secret
 * nor a token appears in logs or the error.
 */
class BulkExportAuthIT {
  private static final String AUDIENCE = "https://fhir.fhirstream.test";
  private static final String SECRET = "export-s3cret-canary-41b7";
  private static MockOAuth2Server authServer;
  private static ClientRegistry clients;
  private static String tokenUrl;
  private static TokenRequirements tokens;
  private static Server storage;
  private static URI storageUrl;
  private static final List<String> storageRequests = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    clients = new ClientRegistry(AUDIENCE);
    authServer =
        new MockOAuth2Server(
            new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(clients)));
    authServer.start(InetAddress.getByName("127.0.0.1"), 0);
    tokenUrl = loopback(authServer.tokenEndpointUrl(ClientRegistry.ISSUER_ID)).toString();
    clients.tokenEndpoint(tokenUrl);
    clients.registerSecret("fhirstream", SECRET);
    tokens =
        new TokenRequirements(
            loopback(authServer.jwksUrl(ClientRegistry.ISSUER_ID)).uri(),
            loopback(authServer.issuerUrl(ClientRegistry.ISSUER_ID)).toString(),
            AUDIENCE,
            Optional.of(URI.create(tokenUrl)));
    storage = new Server();
    ServerConnector connector = new ServerConnector(storage);
    connector.setHost("127.0.0.1");
    storage.addConnector(connector);
    storage.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            storageRequests.add(String.valueOf(request.getHeaders().get("Authorization")));
            response.setStatus(200);
            response.write(true, ByteBuffer.allocate(0), callback);
            return true;
          }
        });
    storage.start();
    storageUrl = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/storage");
  }

  private static HttpUrl loopback(HttpUrl url) {
    return url.newBuilder().host("127.0.0.1").build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (storage != null) {
      storage.stop();
    }
    if (authServer != null) {
      authServer.shutdown();
    }
  }

  private static DemoFhirServer protectedServer(ExportOptions options) {
    DemoFhirServer server =
        DemoFhirServer.builder()
            .resourceTypes("Patient")
            .requireTokens(tokens)
            .export(options)
            .port(0)
            .build();
    SyntheticPatients patients = new SyntheticPatients(9);
    for (int i = 0; i < 12; i++) {
      server.store().create(patients.next());
    }
    return server.start();
  }

  private Map<String, String> settings(DemoFhirServer server) {
    String prefix = "exportauth" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> raw = new HashMap<>();
    raw.put("source.fhir.auth", "client-credentials");
    raw.put("source.fhir.auth.token-url", tokenUrl);
    raw.put("source.fhir.auth.client-id", "fhirstream");
    raw.put("source.fhir.auth.client-secret", SECRET);
    raw.put("source.fhir.auth.scope", AUDIENCE + "/.default");
    raw.put("source.fhir.base-url", server.baseUrl());
    raw.put("source.backfill", "export");
    raw.put("source.poll-interval", "200ms");
    raw.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
    raw.put("hub.topic-prefix", prefix + "fhir.");
    raw.put("hub.dead-letter-topic", prefix + "dead-letters");
    raw.put("hub.cursor-topic", prefix + "cursors");
    raw.put("sink.group-id", prefix + "sink");
    raw.put("store.sqlite.path", dir.resolve(prefix + "db").toString());
    return raw;
  }

  @Test
  void theTokenGoesWithKickOffStatusAndFilesOnTheServersOrigin() throws Exception {
    try (DemoFhirServer server = protectedServer(ExportOptions.defaults().withResourcesPerFile(5));
        Pipeline pipeline =
            Pipeline.start(
                Settings.parse(settings(server)),
                EnumSet.of(Role.SOURCE, Role.SINK),
                new SimpleMeterRegistry())) {
      assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(60))).isTrue();
      assertThat(server.exportKickOffs()).isEqualTo(1);
      assertThat(server.refusedRequests()).as("every request carried a valid token").isZero();
    }
  }

  @Test
  void filesOnAnotherOriginStopTheLoadBeforeTheTokenIsSentThere() throws Exception {
    int before = storageRequests.size();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (DemoFhirServer server =
            protectedServer(ExportOptions.defaults().withFileBase(storageUrl));
        Pipeline pipeline =
            Pipeline.start(
                Settings.parse(settings(server)),
                EnumSet.of(Role.SOURCE, Role.SINK),
                new SimpleMeterRegistry())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      Throwable failure = null;
      while (failure == null && System.nanoTime() < deadline) {
        try {
          pipeline.checkHealthy();
          Thread.sleep(100);
        } catch (PipelineException e) {
          failure = e;
        }
      }
      assertThat(failure)
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("requiresAccessToken=true")
          .hasMessageContaining("another origin (http://127.0.0.1:" + storageUrl.getPort() + ")")
          .hasMessageContaining("source.backfill=search");
      assertThat(failure.getMessage()).doesNotContain(SECRET).doesNotContain("eyJ");
      assertThat(storageRequests.size()).as("nothing sent to the other origin").isEqualTo(before);
    } finally {
      root.detachAppender(logs);
    }
    List<String> lines;
    synchronized (logs) {
      lines = logs.list.stream().map(e -> e.getFormattedMessage()).toList();
    }
    assertThat(lines).isNotEmpty();
    assertThat(String.join("\n", lines)).doesNotContain(SECRET).doesNotContain("Bearer eyJ");
  }
}

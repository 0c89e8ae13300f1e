package io.fhirstream.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.fhirstream.api.Backoff;
import io.fhirstream.api.ChangeEvent;
import io.fhirstream.api.PipelineException;
import io.fhirstream.api.hub.CursorStore;
import io.fhirstream.api.hub.EventPublisher;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.TokenRequirements;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.TestBroker;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.source.CaptureMode;
import io.fhirstream.source.ChangeCapture;
import io.fhirstream.source.ServerCapabilities;
import io.fhirstream.source.SourceConfig;
import io.fhirstream.source.capture.CrawlTarget;
import io.fhirstream.source.capture.HistoryCrawler;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.FhirHttpClient;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * FHIR server authentication end to end, on 127.0.0.1: a real OAuth2 authorisation server
 * (mock-oauth2-server) issues signed JWT access tokens, and the demo FHIR server in protected mode
 * checks each against the issuer's JWKS (signature, issuer, audience, expiry). Change capture reads
 * it through the CapabilityStatement probe (HAPI's client) and the page reader, with client
 * credentials and with SMART Backend Services. Everything fhirstream logs is captured and searched
 * for the secrets, keys and tokens.
 */
class FhirServerAuthIT {
  private static final String AUDIENCE = "https://fhir.fhirstream.test";
  private static final String SECRET = "s3cret-canary-9f2c";
  private static final int PATIENTS = 23;

  private static MockOAuth2Server authServer;
  private static ClientRegistry clients;
  private static DemoFhirServer fhir;
  private static String tokenUrl;
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final Map<String, Level> levels = new HashMap<>();
  private static final Set<String> canaries = ConcurrentHashMap.newKeySet();

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    // fhirstream's own logs and its client libraries'; not the servers', which receive the
    // credentials by design (Jetty's debug log prints request headers).
    captureLogs("io.fhirstream", "ca.uhn.fhir", "com.nimbusds");
    clients = new ClientRegistry(AUDIENCE);
    authServer =
        new MockOAuth2Server(
            new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(), Set.of(clients)));
    authServer.start(InetAddress.getByName("127.0.0.1"), 0);
    tokenUrl = loopback(authServer.tokenEndpointUrl(ClientRegistry.ISSUER_ID)).toString();
    clients.tokenEndpoint(tokenUrl);
    clients.registerSecret("fhirstream", SECRET);
    canaries.add(SECRET);
    fhir =
        DemoFhirServer.builder()
            .resourceTypes("Patient")
            .requireTokens(
                new TokenRequirements(
                    loopback(authServer.jwksUrl(ClientRegistry.ISSUER_ID)).uri(),
                    loopback(authServer.issuerUrl(ClientRegistry.ISSUER_ID)).toString(),
                    AUDIENCE,
                    Optional.of(URI.create(tokenUrl))))
            .build();
    SyntheticPatients generator = new SyntheticPatients(7);
    for (int i = 0; i < PATIENTS; i++) {
      fhir.store().create(generator.next());
    }
    fhir.start();
  }

  /**
   * The server names itself "localhost"; its tokens' iss follows the host a client used, so the
   * test uses 127.0.0.1 throughout.
   */
  private static HttpUrl loopback(HttpUrl url) {
    return url.newBuilder().host("127.0.0.1").build();
  }

  @AfterAll
  static void stop() {
    if (fhir != null) {
      fhir.close();
    }
    if (authServer != null) {
      authServer.shutdown();
    }
    restoreLogs();
  }

  @BeforeEach
  void resetLifetime() {
    clients.tokenLifetime(Duration.ofHours(1));
  }

  @AfterEach
  void nothingSecretWasLogged() {
    List<ILoggingEvent> events;
    synchronized (logs) { // ListAppender appends under the appender's lock
      events = new ArrayList<>(logs.list);
    }
    assertThat(events).as("logs captured").isNotEmpty();
    for (ILoggingEvent event : events) {
      String text =
          event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String canary : canaries) {
        assertThat(text).as("log line of %s", event.getLoggerName()).doesNotContain(canary);
      }
    }
  }

  @Test
  void clientCredentialsCaptureEveryPatientWithOneToken() {
    SourceConfig source = source(clientCredentials(SECRET));
    int before = clients.tokensIssued();

    List<ChangeEvent> events = capture(source);

    assertThat(events).hasSize(PATIENTS);
    assertThat(clients.tokensIssued() - before)
        .as("one token for the probe and every page")
        .isEqualTo(1);
  }

  @Test
  void thePipelineStreamsTheProtectedServerIntoTheStore() throws Exception {
    Map<String, String> raw = new HashMap<>(clientCredentials(SECRET));
    String prefix = "auth" + UUID.randomUUID().toString().substring(0, 8) + ".";
    raw.put("source.fhir.base-url", fhir.baseUrl());
    raw.put("source.poll-interval", "200ms");
    raw.put("kafka.bootstrap.servers", TestBroker.bootstrapServers());
    raw.put("hub.topic-prefix", prefix + "fhir.");
    raw.put("hub.dead-letter-topic", prefix + "dead-letters");
    raw.put("hub.cursor-topic", prefix + "cursors");
    raw.put("sink.group-id", prefix + "sink");
    raw.put("store.sqlite.path", dir.resolve("auth.db").toString());

    try (Pipeline pipeline =
        Pipeline.start(
            Settings.parse(raw), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry())) {
      assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(60))).isTrue();
    }
    try (SqliteDocumentReader reader = SqliteDocumentReader.open(dir.resolve("auth.db"))) {
      assertThat(reader.readAll("Patient")).hasSize(PATIENTS);
    }
  }

  @Test
  void smartBackendWithAnRsaKeyDiscoversTheTokenEndpointAndSignsRs384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    clients.registerPublicKey(
        "smart-rsa",
        new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID("rsa-key-1").build());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(((RSAPrivateKey) pair.getPrivate()).getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Path key = Files.writeString(dir.resolve("smart-rsa.pem"), pem);
    canaries.add(pem.split("\n")[3]);
    int assertionsBefore = clients.assertions.size();

    Map<String, String> settings = new HashMap<>();
    settings.put("source.fhir.auth", "smart-backend");
    settings.put("source.fhir.auth.client-id", "smart-rsa");
    settings.put("source.fhir.auth.private-key-file", key.toString());
    settings.put("source.fhir.auth.key-id", "rsa-key-1");
    settings.put("source.fhir.auth.scope", "system/Patient.rs");
    List<ChangeEvent> events = capture(source(settings));

    assertThat(events).hasSize(PATIENTS);
    SignedJWT assertion = clients.assertions.get(assertionsBefore);
    assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(assertion.getHeader().getKeyID()).isEqualTo("rsa-key-1");
    var claims = assertion.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("smart-rsa");
    assertThat(claims.getSubject()).isEqualTo("smart-rsa");
    assertThat(claims.getAudience()).containsExactly(tokenUrl);
    assertThat(claims.getJWTID()).isNotBlank();
    assertThat(Duration.between(Instant.now(), claims.getExpirationTime().toInstant()))
        .isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void smartBackendWithAnEcJwkSignsEs384WithAFreshJtiEachTime() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("ec-key-1").generate();
    clients.registerPublicKey("smart-ec", key.toPublicJWK());
    Path file = Files.writeString(dir.resolve("smart-ec.jwk"), key.toJSONString());
    canaries.add(key.getD().toString());
    clients.tokenLifetime(Duration.ofSeconds(2));
    int assertionsBefore = clients.assertions.size();

    Map<String, String> settings = new HashMap<>();
    settings.put("source.fhir.auth", "smart-backend");
    settings.put("source.fhir.auth.client-id", "smart-ec");
    settings.put("source.fhir.auth.token-url", tokenUrl);
    settings.put("source.fhir.auth.private-key-file", file.toString());
    SourceConfig source = source(settings);
    FhirCredentials credentials = source.newCredentials();
    FhirHttpClient http = client(source, credentials);
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));
    sleep(Duration.ofMillis(2200));
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));

    List<SignedJWT> used = clients.assertions.subList(assertionsBefore, clients.assertions.size());
    assertThat(used).hasSize(2);
    assertThat(used.get(0).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(used.get(0).getHeader().getKeyID()).isEqualTo("ec-key-1");
    assertThat(used.get(0).getJWTClaimsSet().getJWTID())
        .isNotEqualTo(used.get(1).getJWTClaimsSet().getJWTID());
  }

  @Test
  void aShortLivedTokenIsRenewedBeforeTheServerWouldRefuseIt() {
    clients.tokenLifetime(Duration.ofSeconds(3));
    SourceConfig source = source(clientCredentials(SECRET));
    FhirCredentials credentials = source.newCredentials();
    FhirHttpClient http = client(source, credentials);
    long refusedBefore = fhir.refusedRequests();
    int before = clients.tokensIssued();

    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));
    String first = remember(credentials);
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));
    assertThat(clients.tokensIssued() - before).as("cached while fresh").isEqualTo(1);
    sleep(Duration.ofMillis(1700)); // past half its lifetime: renewed before it expires
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));
    assertThat(remember(credentials)).isNotEqualTo(first);
    sleep(Duration.ofSeconds(4)); // long past its expiry
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));

    assertThat(clients.tokensIssued() - before).isEqualTo(3);
    assertThat(fhir.refusedRequests() - refusedBefore).as("never sent an expired token").isZero();
  }

  @Test
  void aRefusedTokenIsRenewedOnceAndTheRequestSentAgain() {
    SourceConfig source = source(clientCredentials(SECRET));
    FhirCredentials credentials = source.newCredentials();
    FhirHttpClient http = client(source, credentials);
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));
    int before = clients.tokensIssued();
    long refusedBefore = fhir.refusedRequests();

    revokeEveryTokenIssuedSoFar();
    http.get(URI.create(fhir.baseUrl() + "/Patient?_count=1"));

    assertThat(fhir.refusedRequests() - refusedBefore).isEqualTo(1);
    assertThat(clients.tokensIssued() - before).isEqualTo(1);

    revokeEveryTokenIssuedSoFar();
    Map<String, CaptureMode> modes =
        ServerCapabilities.probe(FhirContext.forR4Cached(), source, Optional.empty(), credentials);
    assertThat(modes).containsEntry("Patient", CaptureMode.HISTORY);
    assertThat(fhir.refusedRequests() - refusedBefore).isEqualTo(2);
    assertThat(clients.tokensIssued() - before).isEqualTo(2);
  }

  @Test
  void aWrongClientSecretStopsTheStartNamingTheTokenEndpointAndTheOAuthError() {
    String wrong = "wr0ng-secret-canary";
    canaries.add(wrong);
    SourceConfig source = source(clientCredentials(wrong));

    assertThatThrownBy(
            () ->
                ServerCapabilities.probe(
                    FhirContext.forR4Cached(), source, Optional.empty(), source.newCredentials()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining(tokenUrl)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("invalid_client")
        .hasMessageContaining("source.fhir.auth.client-id")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(SECRET);
    assertThatThrownBy(
            () ->
                client(source, source.newCredentials())
                    .get(URI.create(fhir.baseUrl() + "/Patient")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("invalid_client")
        .hasMessageNotContaining(wrong);
    assertThat(source.toString()).doesNotContain(wrong);
  }

  @Test
  void withoutCredentialsTheProtectedServerIsRefusedWithAClearMessage() {
    SourceConfig source = source(Map.of());
    assertThatThrownBy(
            () -> ServerCapabilities.probe(FhirContext.forR4Cached(), source, Optional.empty()))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("source.fhir.auth");
  }

  @Test
  void aTokenOfAnotherIssuerIsRefused() {
    SignedJWT foreign = authServer.issueToken("another-issuer", "someone", AUDIENCE);
    canaries.add(foreign.serialize());
    SourceConfig source = source(Map.of("source.fhir.bearer-token", foreign.serialize()));
    assertThatThrownBy(
            () ->
                client(source, source.newCredentials())
                    .get(URI.create(fhir.baseUrl() + "/Patient")))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(foreign.serialize());
  }

  private static Map<String, String> clientCredentials(String secret) {
    Map<String, String> settings = new HashMap<>();
    settings.put("source.fhir.auth", "client-credentials");
    settings.put("source.fhir.auth.token-url", tokenUrl);
    settings.put("source.fhir.auth.client-id", "fhirstream");
    settings.put("source.fhir.auth.client-secret", secret);
    settings.put("source.fhir.auth.scope", AUDIENCE + "/.default");
    return settings;
  }

  private static SourceConfig source(Map<String, String> auth) {
    Map<String, String> raw = new HashMap<>(auth);
    raw.put("source.fhir.base-url", fhir.baseUrl());
    raw.put("source.page-size", "5");
    raw.put("source.safety-lag", "0s");
    raw.put("source.http.connect-timeout", "2s");
    raw.put("source.http.request-timeout", "10s");
    return SourceConfig.from(SourceConfig.DEFINITION.parse(raw), List.of("Patient"));
  }

  private static FhirHttpClient client(SourceConfig source, FhirCredentials credentials) {
    return new FhirHttpClient(
        source.baseUrl(),
        source.connectTimeout(),
        source.requestTimeout(),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)),
        3,
        credentials);
  }

  /** Start-up as the pipeline does it, then one capture pass until every patient is published. */
  private static List<ChangeEvent> capture(SourceConfig source) {
    FhirCredentials credentials = source.newCredentials();
    Map<String, CaptureMode> modes =
        ServerCapabilities.probe(FhirContext.forR4Cached(), source, source.mode(), credentials);
    assertThat(modes).containsEntry("Patient", CaptureMode.HISTORY);
    FhirHttpClient http = client(source, credentials);
    List<ChangeEvent> sent = new CopyOnWriteArrayList<>();
    List<ChangeEvent> published = new CopyOnWriteArrayList<>();
    EventPublisher publisher =
        new EventPublisher() {
          @Override
          public void send(ChangeEvent event) {
            sent.add(event);
          }

          @Override
          public void flush() {
            published.addAll(sent);
            sent.clear();
          }
        };
    Map<String, String> committed = new ConcurrentHashMap<>();
    CursorStore cursors =
        new CursorStore() {
          @Override
          public Optional<String> load(String key) {
            return Optional.ofNullable(committed.get(key));
          }

          @Override
          public void commit(String key, String position) {
            committed.put(key, position);
          }
        };
    CrawlTarget target =
        new CrawlTarget(http, "Patient", source.pageSize(), source.safetyLag(), Clock.systemUTC());
    ChangeCapture capture =
        new ChangeCapture(
            "fhir",
            Map.of("Patient", new HistoryCrawler(target)),
            Map.of(),
            publisher,
            cursors,
            Duration.ofMillis(100),
            new SimpleMeterRegistry());
    Thread thread = new Thread(capture, "capture");
    thread.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (published.size() < PATIENTS && System.nanoTime() < deadline && thread.isAlive()) {
        sleep(Duration.ofMillis(50));
      }
    } finally {
      capture.stop();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new ArrayList<>(published);
  }

  private static String remember(FhirCredentials credentials) {
    String header = credentials.authorization().orElseThrow();
    canaries.add(header.substring("Bearer ".length()));
    return header;
  }

  /** Tokens carry their issue time in whole seconds: wait until a new one is clearly later. */
  private static void revokeEveryTokenIssuedSoFar() {
    Instant cut = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    fhir.revokeTokensIssuedBefore(cut);
    sleep(Duration.between(Instant.now(), cut).plusMillis(50));
  }

  private static void sleep(Duration duration) {
    if (duration.isNegative()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void captureLogs(String... names) {
    logs.start();
    for (String name : names) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false); // DEBUG into the list, not onto the build's console
      logger.addAppender(logs);
    }
  }

  private static void restoreLogs() {
    levels.forEach(
        (name, level) -> {
          Logger logger = (Logger) LoggerFactory.getLogger(name);
          logger.detachAppender(logs);
          logger.setLevel(level);
          logger.setAdditive(true);
        });
  }
}

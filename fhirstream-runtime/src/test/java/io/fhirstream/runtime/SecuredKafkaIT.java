package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.api.PipelineException;
import io.fhirstream.demo.ConsistencyCheck;
import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.patients.SyntheticPatients;
import io.fhirstream.demo.workload.Workload;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import io.fhirstream.store.sqlite.SqliteDocumentReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a real Kafka broker that demands credentials and TLS: SASL PLAIN over TLS
 * with an Event Hubs-style connection string (user {@code $ConnectionString}, as on Event Hubs'
 * Kafka endpoint), SCRAM-SHA-256, and TLS with a trust store. Wrong credentials and an untrusted
 * certificate fail at start-up within seconds, naming the setting; no secret reaches a log or an
 * exception message. One broker for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {
  static final String PLAIN_PASSWORD = "plain-" + UUID.randomUUID();
  static final String SCRAM_PASSWORD = "scram-" + UUID.randomUUID();
  static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
  static final String ACCESS_KEY = key();
  static final String WRONG_KEY = key();
  static final String CONNECTION =
      "Endpoint=sb://fhir-it.servicebus.windows.net/;SharedAccessKeyName=fhirstream;"
          + "SharedAccessKey="
          + ACCESS_KEY;
  static final String STORE_PASSWORD = "store-" + UUID.randomUUID();

  @TempDir static Path dir;
  static LogCapture logs;
  static TestCertificates certificates;
  static EmbeddedKafkaBroker broker;
  static DemoFhirServer server;
  static Workload workload;

  @BeforeAll
  static void start() throws Exception {
    logs = new LogCapture();
    certificates = TestCertificates.create(dir, STORE_PASSWORD);
    broker =
        EmbeddedKafkaBroker.builder(dir.resolve("kafka"))
            .saslUser("fhirstream", PLAIN_PASSWORD)
            .saslUser("$ConnectionString", CONNECTION)
            .tls(certificates.keyStore(), STORE_PASSWORD)
            .start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      "scram-user",
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                      SCRAM_PASSWORD)))
          .all()
          .get();
    }
    server = DemoFhirServer.builder().resourceTypes("Patient").port(0).build().start();
    workload =
        Workload.builder()
            .client(FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl()))
            .generators(new SyntheticPatients(5), null)
            .seed(7)
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (logs != null) {
      logs.close();
    }
  }

  @Test
  @Order(1)
  void eventsFlowOverSaslSslWithAnEventHubsConnectionString() throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("hub.eventhubs.connection-string", CONNECTION);
    // The namespace's address is fhir-it.servicebus.windows.net:9093; kafka.* wins over it.
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers(SecurityProtocol.SASL_SSL));
    settings.put("kafka.ssl.truststore.type", "PEM");
    settings.put("kafka.ssl.truststore.location", certificates.trustedPem().toString());
    settings.put("hub.compact", "false");
    String prefix = runPipeline(settings);

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      for (String topic : List.of(prefix + "fhir.Patient", prefix + "cursors")) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        ConfigEntry policy = config.get("cleanup.policy");
        assertThat(policy.value()).as(topic).isEqualTo("delete");
        assertThat(policy.source()).as(topic).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
      }
    }
  }

  @Test
  @Order(2)
  void eventsFlowOverSaslScram() throws Exception {
    runPipeline(
        Map.of(
            "kafka.bootstrap.servers",
            broker.bootstrapServers(SecurityProtocol.SASL_PLAINTEXT),
            "kafka.security.protocol",
            "SASL_PLAINTEXT",
            "kafka.sasl.mechanism",
            "SCRAM-SHA-256",
            "kafka.sasl.jaas.config",
            scram("scram-user", SCRAM_PASSWORD)));
  }

  @Test
  @Order(3)
  void eventsFlowOverTlsWithATrustStore() throws Exception {
    runPipeline(
        Map.of(
            "kafka.bootstrap.servers",
            broker.bootstrapServers(SecurityProtocol.SSL),
            "kafka.security.protocol",
            "SSL",
            "kafka.ssl.truststore.type",
            "PEM",
            "kafka.ssl.truststore.location",
            certificates.trustedPem().toString()));
  }

  @Test
  @Order(4)
  void aWrongPasswordFailsAtStartUpInSecondsNamingTheSetting() {
    Map<String, String> settings =
        Map.of(
            "kafka.bootstrap.servers",
            broker.bootstrapServers(SecurityProtocol.SASL_PLAINTEXT),
            "kafka.security.protocol",
            "SASL_PLAINTEXT",
            "kafka.sasl.mechanism",
            "PLAIN",
            "kafka.sasl.jaas.config",
            plain("fhirstream", WRONG_PASSWORD));
    long started = System.nanoTime();
    assertThatThrownBy(() -> startPipeline(settings))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("check kafka.sasl.jaas.config")
        .satisfies(SecuredKafkaIT::assertNoSecret);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  @Order(5)
  void aWrongConnectionStringFailsNamingItsSetting() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("hub.eventhubs.connection-string", CONNECTION.replace(ACCESS_KEY, WRONG_KEY));
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers(SecurityProtocol.SASL_SSL));
    settings.put("kafka.ssl.truststore.type", "PEM");
    settings.put("kafka.ssl.truststore.location", certificates.trustedPem().toString());
    long started = System.nanoTime();
    assertThatThrownBy(() -> startPipeline(settings))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("check hub.eventhubs.connection-string")
        .satisfies(SecuredKafkaIT::assertNoSecret);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  @Order(6)
  void anUntrustedCertificateFailsNamingTheTrustStore() {
    Map<String, String> settings =
        Map.of(
            "kafka.bootstrap.servers",
            broker.bootstrapServers(SecurityProtocol.SASL_SSL),
            "kafka.security.protocol",
            "SASL_SSL",
            "kafka.sasl.mechanism",
            "PLAIN",
            "kafka.sasl.jaas.config",
            plain("fhirstream", PLAIN_PASSWORD));
    long started = System.nanoTime();
    assertThatThrownBy(() -> startPipeline(settings))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("TLS handshake")
        .hasMessageContaining("kafka.ssl.truststore.location")
        .satisfies(SecuredKafkaIT::assertNoSecret);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  @Order(7)
  void missingTopicsThatMayNotBeCreatedAreListedWithHowToCreateThem() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(
        "kafka.bootstrap.servers", broker.bootstrapServers(SecurityProtocol.SASL_PLAINTEXT));
    settings.put("kafka.security.protocol", "SASL_PLAINTEXT");
    settings.put("kafka.sasl.mechanism", "PLAIN");
    settings.put("kafka.sasl.jaas.config", plain("fhirstream", PLAIN_PASSWORD));
    settings.put("hub.create-topics", "false");
    assertThatThrownBy(() -> startPipeline(settings))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("fhir.Patient (3 partitions, compacted)")
        .hasMessageContaining("cursors (1 partition, compacted)")
        .hasMessageContaining("dead-letters (1 partition)")
        .hasMessageContaining("kafka-topics.sh")
        .satisfies(SecuredKafkaIT::assertNoSecret);
  }

  @Test
  @Order(100)
  void noSecretReachedTheLogs() {
    List<String> texts = logs.texts();
    // The capture saw the clients' configuration dumps, so the scan looked where leaks happen.
    assertThat(texts).anySatisfy(t -> assertThat(t).contains("sasl.jaas.config = [hidden]"));
    for (String text : texts) {
      assertNoSecret(text);
    }
  }

  private static void assertNoSecret(Object textOrThrowable) {
    String text =
        textOrThrowable instanceof Throwable t
            ? t + " " + (t.getCause() == null ? "" : t.getCause().toString())
            : textOrThrowable.toString();
    assertThat(text)
        .doesNotContain(PLAIN_PASSWORD)
        .doesNotContain(SCRAM_PASSWORD)
        .doesNotContain(WRONG_PASSWORD)
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(WRONG_KEY)
        .doesNotContain(STORE_PASSWORD);
  }

  /** Starts source and sink with these security settings, changes data, checks the store. */
  private static String runPipeline(Map<String, String> security) throws Exception {
    String prefix = "sec" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Path database = dir.resolve(prefix + "db");
    try (Pipeline pipeline = startPipeline(security, prefix, database)) {
      for (int i = 0; i < 20; i++) {
        workload.create();
      }
      for (int i = 0; i < 15; i++) {
        workload.randomChange();
      }
      assertThat(pipeline.awaitDrained(Instant.now(), Duration.ofSeconds(60)))
          .as("pipeline drained")
          .isTrue();
      ConsistencyCheck.Result result;
      try (SqliteDocumentReader reader = SqliteDocumentReader.open(database)) {
        result =
            ConsistencyCheck.compare(server.store().snapshot("Patient"), reader.readAll("Patient"));
      }
      assertThat(result.problems()).isEmpty();
      assertThat(result.checked()).isEqualTo(server.store().snapshot("Patient").size());
    }
    return prefix;
  }

  private static Pipeline startPipeline(Map<String, String> security) {
    String prefix = "bad" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return startPipeline(security, prefix, dir.resolve(prefix + "db"));
  }

  private static Pipeline startPipeline(Map<String, String> security, String prefix, Path db) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("source.fhir.base-url", server.baseUrl());
    settings.put("source.poll-interval", "200ms");
    settings.put("hub.topic-prefix", prefix + "fhir.");
    settings.put("hub.dead-letter-topic", prefix + "dead-letters");
    settings.put("hub.cursor-topic", prefix + "cursors");
    settings.put("sink.group-id", prefix + "sink");
    settings.put("store.sqlite.path", db.toString());
    settings.put("sink.poll-timeout", "100ms");
    settings.putAll(security);
    return Pipeline.start(
        Settings.parse(settings), EnumSet.of(Role.SOURCE, Role.SINK), new SimpleMeterRegistry());
  }

  private static String plain(String user, String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String scram(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String key() {
    return Base64.getEncoder()
        .encodeToString(
            UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}

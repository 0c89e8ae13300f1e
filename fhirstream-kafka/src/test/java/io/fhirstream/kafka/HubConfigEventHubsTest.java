package io.fhirstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubConfigEventHubsTest {
  static final String KEY = "c2VjcmV0LWtleS12YWx1ZS0xMjM0NTY3ODkwYWJjZGVm=";
  static final String CONNECTION =
      "Endpoint=sb://fhir-ns.servicebus.windows.net/;SharedAccessKeyName=fhirstream;SharedAccessKey="
          + KEY;

  @TempDir Path dir;

  static HubConfig hub(Map<String, String> raw, Map<String, String> env) {
    return HubConfig.from(HubConfig.DEFINITION.parse(raw), env);
  }

  static HubConfig hub(Map<String, String> raw) {
    return hub(raw, Map.of());
  }

  @Test
  void connectionStringConfiguresEverything() {
    HubConfig hub = hub(Map.of("hub.eventhubs.connection-string", CONNECTION));

    assertThat(hub.client())
        .containsEntry("bootstrap.servers", "fhir-ns.servicebus.windows.net:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"$ConnectionString\" password=\""
                + CONNECTION
                + "\";");
    assertThat(hub.producer()).containsEntry("max.request.size", "1046528");
    assertThat(hub.hasBootstrapServers()).isTrue();
    assertThat(hub.eventHubs())
        .get()
        .extracting(EventHubs::namespaceHost)
        .isEqualTo("fhir-ns.servicebus.windows.net");
  }

  @Test
  void explicitKafkaSettingsWinOverDerivedOnes() {
    HubConfig hub =
        hub(
            Map.of(
                "hub.eventhubs.connection-string", CONNECTION,
                "kafka.bootstrap.servers", "127.0.0.1:19093",
                "kafka.request.timeout.ms", "5000",
                "kafka.producer.max.request.size", "900000"));

    assertThat(hub.client())
        .containsEntry("bootstrap.servers", "127.0.0.1:19093")
        .containsEntry("request.timeout.ms", "5000")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(hub.producer()).containsEntry("max.request.size", "900000");
  }

  @Test
  void connectionStringFromFileAndFromTheConventionalVariable() throws Exception {
    Path file = dir.resolve("eh");
    Files.writeString(file, CONNECTION + "\n");
    assertThat(hub(Map.of("hub.eventhubs.connection-string-file", file.toString())).client())
        .containsEntry("bootstrap.servers", "fhir-ns.servicebus.windows.net:9093");

    assertThat(
            hub(
                    Map.of("hub.eventhubs.auth", "connection-string"),
                    Map.of("EVENTHUB_CONNECTION_STRING", CONNECTION))
                .client())
        .containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void theConventionalVariableIsReadOnlyWhenAskedFor() {
    // A variable left in a shell must not send the demo (no bootstrap servers) to Azure.
    HubConfig hub = hub(Map.of(), Map.of("EVENTHUB_CONNECTION_STRING", CONNECTION));
    assertThat(hub.eventHubs()).isEmpty();
    assertThat(hub.hasBootstrapServers()).isFalse();

    assertThatThrownBy(() -> hub(Map.of("hub.eventhubs.auth", "connection-string")))
        .hasMessageStartingWith("hub.eventhubs.auth: ")
        .hasMessageContaining("EVENTHUB_CONNECTION_STRING");
  }

  @Test
  void badConnectionStringsNameTheKeyButNeverTheSecret() {
    List<String> bad =
        List.of(
            "SharedAccessKeyName=fhirstream;SharedAccessKey=" + KEY,
            "Endpoint=https://fhir-ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey="
                + KEY,
            "Endpoint=sb://fhir-ns.servicebus.windows.net/;SharedAccessKey=" + KEY,
            CONNECTION + ";EntityPath=fhir.Patient",
            KEY,
            "\"" + CONNECTION + "\"");
    for (String text : bad) {
      assertThatThrownBy(() -> hub(Map.of("hub.eventhubs.connection-string", text)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("hub.eventhubs.connection-string: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY).doesNotContain(text));
    }
    assertThatThrownBy(
            () ->
                hub(
                    Map.of("hub.eventhubs.auth", "connection-string"),
                    Map.of("EVENTHUB_CONNECTION_STRING", "Endpoint=sb://x")))
        .hasMessageStartingWith("EVENTHUB_CONNECTION_STRING: ");
  }

  @Test
  void entityPathIsRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                hub(
                    Map.of(
                        "hub.eventhubs.connection-string",
                        CONNECTION + ";EntityPath=fhir.Patient")))
        .hasMessageContaining("scoped to one event hub")
        .hasMessageContaining("namespace");
  }

  @Test
  void entraIdUsesOauthBearerWithTheAzureIdentityHandler() {
    HubConfig hub =
        hub(Map.of("hub.eventhubs.auth", "entra-id", "hub.eventhubs.namespace", "fhir-ns"));
    assertThat(hub.client())
        .containsEntry("bootstrap.servers", "fhir-ns.servicebus.windows.net:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "OAUTHBEARER")
        .containsEntry(
            "sasl.login.callback.handler.class",
            "io.fhirstream.kafka.eventhubs.EntraIdLoginCallbackHandler");
    assertThat(hub.credentialSettings())
        .contains("Entra ID")
        .contains("fhir-ns.servicebus.windows.net");
  }

  @Test
  void entraIdNeedsANamespaceAndNoConnectionString() {
    assertThatThrownBy(() -> hub(Map.of("hub.eventhubs.auth", "entra-id")))
        .hasMessageStartingWith("hub.eventhubs.namespace: ");
    assertThatThrownBy(
            () ->
                hub(
                    Map.of(
                        "hub.eventhubs.auth", "entra-id",
                        "hub.eventhubs.namespace", "fhir-ns",
                        "hub.eventhubs.connection-string", CONNECTION)))
        .hasMessageStartingWith("hub.eventhubs.auth: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY));
  }

  @Test
  void credentialErrorsNameTheSettingInUse() {
    assertThat(hub(Map.of("hub.eventhubs.connection-string", CONNECTION)).credentialSettings())
        .startsWith("hub.eventhubs.connection-string");
    Map<String, String> own = new HashMap<>();
    own.put("kafka.bootstrap.servers", "k:9092");
    own.put("kafka.sasl.jaas.config", "x");
    assertThat(hub(own).credentialSettings()).startsWith("kafka.sasl.jaas.config");
  }

  @Test
  void toStringShowsNoSecret() {
    HubConfig hub = hub(Map.of("hub.eventhubs.connection-string", CONNECTION));
    assertThat(hub.toString()).doesNotContain(KEY);
    assertThat(hub.eventHubs().get().toString()).doesNotContain(KEY);
  }

  @Test
  void withoutCompactionNoTopicCarriesACleanupPolicy() {
    HubConfig hub = hub(Map.of("hub.compact", "false"));
    List<NewTopic> topics = TopicSetup.wanted(hub, List.of("Patient"));
    assertThat(topics)
        .extracting(NewTopic::name)
        .containsExactly("fhir.Patient", "fhirstream.dead-letters", "fhirstream.cursors");
    assertThat(topics)
        .allSatisfy(t -> assertThat(t.configs() == null ? Map.of() : t.configs()).isEmpty());

    List<NewTopic> compacted = TopicSetup.wanted(hub(Map.of()), List.of("Patient"));
    assertThat(compacted.get(0).configs()).containsEntry("cleanup.policy", "compact");
    assertThat(compacted.get(2).configs()).containsEntry("cleanup.policy", "compact");
  }

  @Test
  void missingTopicsMessageSaysWhichToCreateAndHow() {
    HubConfig eventHubs = hub(Map.of("hub.eventhubs.connection-string", CONNECTION));
    String message =
        TopicSetup.howToCreate(eventHubs, TopicSetup.wanted(eventHubs, List.of("Patient")));
    assertThat(message)
        .contains("fhir.Patient (3 partitions, compacted)")
        .contains("fhirstream.dead-letters (1 partition)")
        .contains("fhirstream.cursors (1 partition, compacted)")
        .contains("az eventhubs eventhub create")
        .contains("--namespace-name fhir-ns ")
        .doesNotContain(KEY);

    HubConfig kafka = hub(Map.of("kafka.bootstrap.servers", "k:9092", "hub.compact", "false"));
    assertThat(TopicSetup.howToCreate(kafka, TopicSetup.wanted(kafka, List.of("Patient"))))
        .contains("fhir.Patient (3 partitions)")
        .contains("kafka-topics.sh --bootstrap-server k:9092")
        .doesNotContain("compact");
  }
}

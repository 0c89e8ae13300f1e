package io.fhirstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.runtime.Role;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings are validated as a whole: every problem at once, the hub chosen on purpose. */
class SettingsTest {
  private static final String FHIR = "http://127.0.0.1:1/fhir";

  private static List<String> problemKeys(Map<String, String> raw) {
    try {
      Settings.parse(raw);
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigException::key).toList();
    }
    return List.of();
  }

  private static Map<String, String> settings(String... keyValues) {
    Map<String, String> raw = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return raw;
  }

  @Test
  void everyProblemIsReportedAtOnceNotJustTheFirst() {
    Map<String, String> raw =
        settings(
            "kafka.bootstrap.servers", "kafka:9092",
            "store.typo", "x",
            "source.poll-interval", "-1s",
            "hub.partitions", "0",
            "ops.port", "70000",
            "store.type", "nosuchstore");
    assertThat(problemKeys(raw))
        .containsExactlyInAnyOrder(
            "store.typo",
            "source.fhir.base-url",
            "source.poll-interval",
            "hub.partitions",
            "ops.port",
            "store.type");
  }

  @Test
  void aMisspeltKafkaSettingIsRefusedWithTheKafkaNameItMeant() {
    assertThatThrownBy(
            () ->
                Settings.parse(
                    settings("source.fhir.base-url", FHIR, "kafka.bootstrap.server", "kafka:9092")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.getMessage())
                    .contains(
                        "kafka.bootstrap.server: unknown setting; did you mean"
                            + " 'kafka.bootstrap.servers'?"));
    assertThat(
            problemKeys(
                settings(
                    "source.fhir.base-url", FHIR,
                    "kafka.bootstrap.servers", "kafka:9092",
                    "kafka.producer.linger", "5",
                    "kafka.consumer.max.poll.record", "5",
                    "kafka.no.such.thing", "1")))
        .containsExactly(
            "kafka.producer.linger", "kafka.consumer.max.poll.record", "kafka.no.such.thing");
  }

  @Test
  void kafkaClientSettingsOfEveryClientPassTheCheck() {
    assertThat(
            problemKeys(
                settings(
                    "source.fhir.base-url", FHIR,
                    "kafka.bootstrap.servers", "kafka:9092",
                    "kafka.security.protocol", "SASL_SSL",
                    "kafka.producer.linger.ms", "5",
                    "kafka.consumer.max.poll.records", "100",
                    "kafka.default.api.timeout.ms", "3000")))
        .isEmpty();
  }

  @Test
  void withoutAHubTheEmbeddedBrokerMustBeAskedForNotStartedSilently() {
    assertThatThrownBy(() -> Settings.parse(settings("source.fhir.base-url", FHIR)))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.key()).isEqualTo("kafka.bootstrap.servers");
              assertThat(e.getMessage())
                  .contains("is required")
                  .contains("embedded.kafka.enabled=true");
            });
    Settings embedded =
        Settings.parse(settings("source.fhir.base-url", FHIR, "embedded.kafka.enabled", "true"));
    assertThat(embedded.runtime().embeddedKafka()).isTrue();
    assertThat(
            problemKeys(
                settings(
                    "source.fhir.base-url", FHIR,
                    "embedded.kafka.enabled", "true",
                    "kafka.bootstrap.servers", "kafka:9092")))
        .containsExactly("embedded.kafka.enabled");
  }

  @Test
  void aSinkOnlyInstanceParsesWithoutAnyFhirSetting() {
    Settings settings =
        Settings.parse(settings("kafka.bootstrap.servers", "kafka:9092"), EnumSet.of(Role.SINK));
    assertThat(settings.sourceConfig()).isNull();
    assertThat(settings.ops()).isEqualTo(new OpsConfig(true, "127.0.0.1", 9464));
  }
}

package io.fhirstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.fhirstream.api.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientKeysTest {

  @Test
  void eachClientsOwnSettingsPassUnderItsPrefix() {
    assertThat(
            KafkaClientKeys.problems(
                Map.of(
                    "kafka.bootstrap.servers", "x",
                    "kafka.sasl.jaas.config", "x",
                    "kafka.producer.compression.type", "zstd",
                    "kafka.consumer.fetch.min.bytes", "1",
                    "kafka.default.api.timeout.ms", "1",
                    "source.other", "not ours to check")))
        .isEmpty();
  }

  @Test
  void aConsumerSettingUnderTheProducerPrefixIsRefused() {
    assertThat(KafkaClientKeys.problems(Map.of("kafka.producer.fetch.min.bytes", "1")))
        .extracting(ConfigException::key)
        .containsExactly("kafka.producer.fetch.min.bytes");
  }

  @Test
  void aTypoIsNamedWithTheClosestKafkaSetting() {
    assertThat(KafkaClientKeys.problems(Map.of("kafka.bootstrap.server", "x")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "kafka.bootstrap.server: unknown setting; did you mean"
                            + " 'kafka.bootstrap.servers'?"));
    assertThat(KafkaClientKeys.problems(Map.of("kafka.zzzz", "x")))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("no Kafka client setting"));
  }
}

package io.fhirstream.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.runtime.Role;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionsConfigTest {
  // Parsed only: nothing connects to it.
  private static final String HUB = "127.0.0.1:9092";

  @Test
  void appSettingsAreTheServicesVariablesPlusTheFunctionsOwn() {
    FunctionsConfig config =
        FunctionsConfig.from(
            Map.of(
                "FHIRSTREAM_STORE_TYPE", "sqlite",
                "FHIRSTREAM_STORE_SQLITE_PATH", "/tmp/x.db",
                "FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS", HUB,
                "FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB", "fhir.Observation",
                "EventHubsConnection__fullyQualifiedNamespace", "ns.servicebus.windows.net",
                "FUNCTIONS_WORKER_RUNTIME", "java"),
            EnumSet.of(Role.SINK));

    assertThat(config.requireWriterEventHub()).isEqualTo("fhir.Observation");
    assertThat(config.settings().storeFactory().name()).isEqualTo("sqlite");
  }

  @Test
  void aMisspelledAppSettingStopsTheFunctionNamingIt() {
    assertThatThrownBy(
            () ->
                FunctionsConfig.from(
                    Map.of("FHIRSTREAM_STORE_TYEP", "sqlite"), EnumSet.of(Role.SINK)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FHIRSTREAM_STORE_TYEP");
  }

  @Test
  void theWriterNeedsItsEventHubToBeAResourceTopic() {
    FunctionsConfig unset =
        FunctionsConfig.from(
            Map.of("FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS", HUB), EnumSet.of(Role.SINK));
    FunctionsConfig other =
        FunctionsConfig.from(
            Map.of(
                "FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB",
                "fhirstream.cursors",
                "FHIRSTREAM_KAFKA_BOOTSTRAP_SERVERS",
                HUB),
            EnumSet.of(Role.SINK));

    assertThatThrownBy(unset::requireWriterEventHub)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FHIRSTREAM_FUNCTIONS_WRITER_EVENT_HUB");
    assertThatThrownBy(other::requireWriterEventHub)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a resource topic");
  }
}

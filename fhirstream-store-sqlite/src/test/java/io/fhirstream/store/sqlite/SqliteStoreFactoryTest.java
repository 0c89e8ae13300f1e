package io.fhirstream.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.store.DocumentStoreFactory;
import io.fhirstream.api.store.DocumentWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreFactoryTest {
  @TempDir Path directory;

  @Test
  void foundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentStoreFactory.class))
        .filteredOn(factory -> factory.name().equals("sqlite"))
        .singleElement()
        .isInstanceOf(SqliteStoreFactory.class);
  }

  @Test
  void everyKeyIsUnderTheStorePrefixWithDefaults() {
    assertThat(new SqliteStoreFactory().configDefinition().keys())
        .allMatch(key -> key.name().startsWith("store.sqlite."))
        .noneMatch(ConfigKey::required)
        .extracting(ConfigKey::name)
        .containsExactly(
            "store.sqlite.path", "store.sqlite.busy-timeout", "store.sqlite.synchronous");
  }

  @Test
  void defaultsGiveTheDocumentedSettings() {
    Config config = SqliteStoreConfig.DEFINITION.parse(Map.of());

    assertThat(SqliteStoreConfig.from(config))
        .isEqualTo(
            new SqliteStoreConfig(
                Path.of("fhirstream-data/fhirstream.db"),
                Duration.ofSeconds(5),
                SqliteStoreConfig.Synchronous.FULL));
  }

  @Test
  void createsAWriterForTheConfiguredFile() {
    Path file = directory.resolve("configured.db");
    Config config =
        SqliteStoreConfig.DEFINITION.parse(
            Map.of(
                "store.sqlite.path", file.toString(),
                "store.sqlite.busy-timeout", "250ms",
                "store.sqlite.synchronous", "normal"));

    DocumentWriter writer = new SqliteStoreFactory().createWriter(config);

    assertThat(writer).isInstanceOf(SqliteDocumentWriter.class);
    assertThat(((SqliteDocumentWriter) writer).config())
        .isEqualTo(
            new SqliteStoreConfig(
                file, Duration.ofMillis(250), SqliteStoreConfig.Synchronous.NORMAL));
  }

  @Test
  void badSynchronousValueNamesTheKeyAndChoices() {
    assertThatThrownBy(
            () -> SqliteStoreConfig.DEFINITION.parse(Map.of("store.sqlite.synchronous", "off")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("store.sqlite.synchronous: must be one of full, normal");
  }
}

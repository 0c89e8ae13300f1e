package io.fhirstream.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.store.DocumentStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings and their start-up checks; no server needed. */
class PostgresStoreConfigTest {
  private static final String URL = "jdbc:postgresql://db.example.org:5432/fhir";
  @TempDir Path directory;

  private static Config parse(String... keyValues) {
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return PostgresStoreConfig.DEFINITION.parse(raw);
  }

  @Test
  void foundByNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentStoreFactory.class))
        .filteredOn(factory -> factory.name().equals("postgres"))
        .singleElement()
        .isInstanceOf(PostgresStoreFactory.class);
  }

  @Test
  void everyKeyIsUnderTheStorePrefixAndOnlyTheUrlIsRequired() {
    assertThat(new PostgresStoreFactory().configDefinition().keys())
        .allMatch(key -> key.name().startsWith("store.postgres."))
        .filteredOn(ConfigKey::required)
        .extracting(ConfigKey::name)
        .containsExactly("store.postgres.url");
  }

  @Test
  void defaultsGiveTheDocumentedSettings() {
    assertThat(PostgresStoreConfig.from(parse("store.postgres.url", URL)))
        .isEqualTo(
            new PostgresStoreConfig(
                URL,
                "",
                null,
                "public",
                500,
                Duration.ofSeconds(10),
                Duration.ofMinutes(2),
                "prefer",
                "fhirstream-sink"));
  }

  @Test
  void missingUrlNamesTheKeyAndTheEnvironmentVariable() {
    assertThatThrownBy(() -> parse())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.url: is required")
        .hasMessageContaining("FHIRSTREAM_STORE_POSTGRES_URL");
  }

  @Test
  void urlThatIsNotPostgresIsRefusedWithoutRepeatingIt() {
    String url = "jdbc:mysql://db.example.org/fhir?password=Sup3rSecret";

    assertThatThrownBy(() -> parse("store.postgres.url", url))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.url: is not a PostgreSQL JDBC URL")
        .hasMessageContaining("jdbc:postgresql://host:5432/database")
        .hasMessageNotContaining("Sup3rSecret")
        .hasMessageNotContaining("db.example.org");
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> parse("store.postgres.url", URL, "store.postgres.schema", "fhir-data"))
        .hasMessageStartingWith("store.postgres.schema: must be a schema name");
    assertThatThrownBy(() -> parse("store.postgres.url", URL, "store.postgres.batch-size", "0"))
        .hasMessage("store.postgres.batch-size: must be between 1 and 100000");
    assertThatThrownBy(() -> parse("store.postgres.url", URL, "store.postgres.ssl-mode", "on"))
        .hasMessage(
            "store.postgres.ssl-mode: must be one of disable, allow, prefer, require, verify-ca,"
                + " verify-full");
    assertThatThrownBy(
            () -> parse("store.postgres.url", URL, "store.postgres.connect-timeout", "0s"))
        .hasMessage("store.postgres.connect-timeout: must be longer than zero");
  }

  @Test
  void passwordFileIsReadAtStartUpWithoutItsLineBreak() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "fr0m-a-f1le\n");

    PostgresStoreConfig config =
        PostgresStoreConfig.from(
            parse("store.postgres.url", URL, "store.postgres.password-file", file.toString()));

    assertThat(config.password()).isEqualTo(new Secret("fr0m-a-f1le"));
  }

  @Test
  void passwordAndPasswordFileTogetherAreRefused() throws Exception {
    Path file = directory.resolve("password");
    Files.writeString(file, "fr0m-a-f1le");
    Config config =
        parse(
            "store.postgres.url",
            URL,
            "store.postgres.password",
            "Sup3rSecret",
            "store.postgres.password-file",
            file.toString());

    assertThatThrownBy(() -> PostgresStoreConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "store.postgres.password-file: set either store.postgres.password or"
                + " store.postgres.password-file, not both")
        .hasMessageNotContaining("Sup3rSecret")
        .hasMessageNotContaining("fr0m-a-f1le");
  }

  @Test
  void unreadablePasswordFileNamesTheKeyAndThePath() {
    Path missing = directory.resolve("no-such-file");
    Config config =
        parse("store.postgres.url", URL, "store.postgres.password-file", missing.toString());

    assertThatThrownBy(() -> PostgresStoreConfig.from(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("store.postgres.password-file: cannot read " + missing)
        .hasMessageContaining("check the path");
  }

  @Test
  void toStringShowsWhereButNeverThePasswordOrTheUrlQuery() {
    Config raw =
        parse(
            "store.postgres.url", URL + "?password=In-Url-S3cret&ssl=true",
            "store.postgres.user", "writer",
            "store.postgres.password", "Sup3rSecret");
    PostgresStoreConfig config = PostgresStoreConfig.from(raw);

    assertThat(config.toString())
        .contains("postgresql://db.example.org:5432/fhir", "writer", "[hidden]")
        .doesNotContain("Sup3rSecret", "In-Url-S3cret");
    assertThat(raw.toString()).doesNotContain("Sup3rSecret");
  }

  @Test
  void factoryMakesAWriterWithTheParsedSettings() {
    var writer =
        new PostgresStoreFactory()
            .createWriter(parse("store.postgres.url", URL, "store.postgres.batch-size", "1000"));

    assertThat(writer).isInstanceOf(PostgresDocumentWriter.class);
    assertThat(((PostgresDocumentWriter) writer).config().batchSize()).isEqualTo(1000);
  }
}

package io.fhirstream.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.store.DocumentStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings: found by name, validated at start-up with the key named, secrets never printed. */
class CosmosStoreFactoryTest {
  private static final String KEY_VALUE = "c2VjcmV0LWtleS1uZXZlci10by1iZS1zZWVu";
  private static final String ENDPOINT = "https://account.documents.azure.com:443/";

  private static Map<String, String> settings(String... pairs) {
    Map<String, String> raw = new HashMap<>();
    raw.put(CosmosStoreConfig.ENDPOINT, ENDPOINT);
    for (int i = 0; i < pairs.length; i += 2) {
      raw.put(pairs[i], pairs[i + 1]);
    }
    return raw;
  }

  private static CosmosStoreConfig parse(Map<String, String> raw) {
    return CosmosStoreConfig.from(CosmosStoreConfig.DEFINITION.parse(raw));
  }

  @Test
  void foundByItsNameThroughServiceLoader() {
    assertThat(ServiceLoader.load(DocumentStoreFactory.class))
        .anyMatch(f -> f.name().equals("cosmos") && f instanceof CosmosStoreFactory);
  }

  @Test
  void defaultsAreDirectModeSessionConsistencyAndIdAsPartitionKey() {
    CosmosStoreConfig config = parse(settings(CosmosStoreConfig.KEY, KEY_VALUE));

    assertThat(config.mode()).isEqualTo(CosmosStoreConfig.Mode.DIRECT);
    assertThat(config.consistency()).isEqualTo(com.azure.cosmos.ConsistencyLevel.SESSION);
    assertThat(config.partitionKeyPath()).isEqualTo("/id");
    assertThat(config.database()).isEqualTo("fhirstream");
    assertThat(config.containerName("Patient")).isEqualTo("Patient");
    assertThat(config.batchSize()).isEqualTo(100);
    assertThat(config.tombstoneTtl()).isZero();
  }

  @Test
  void keyAuthenticationWithoutAKeyFailsNamingTheKey() {
    assertThatThrownBy(() -> parse(settings()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(CosmosStoreConfig.KEY + ":")
        .hasMessageContaining("FHIRSTREAM_STORE_COSMOS_KEY")
        .hasMessageContaining("entra-id");
  }

  @Test
  void endpointIsRequiredAndMustBeHttps() {
    Map<String, String> raw = settings(CosmosStoreConfig.KEY, KEY_VALUE);
    raw.remove(CosmosStoreConfig.ENDPOINT);
    assertThatThrownBy(() -> parse(raw)).hasMessageStartingWith(CosmosStoreConfig.ENDPOINT);

    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.ENDPOINT,
                        "http://x:8081",
                        CosmosStoreConfig.KEY,
                        KEY_VALUE)))
        .hasMessageStartingWith(CosmosStoreConfig.ENDPOINT)
        .hasMessageContaining("https://");
  }

  @Test
  void entraIdNeedsNoKeyAndRefusesOne() {
    CosmosStoreConfig config = parse(settings(CosmosStoreConfig.AUTH, "entra-id"));
    assertThat(config.auth()).isEqualTo(CosmosStoreConfig.Auth.ENTRA_ID);
    assertThat(config.key()).isNull();

    assertThatThrownBy(
            () ->
                parse(
                    settings(CosmosStoreConfig.AUTH, "entra-id", CosmosStoreConfig.KEY, KEY_VALUE)))
        .hasMessageStartingWith(CosmosStoreConfig.KEY)
        .hasMessageNotContaining(KEY_VALUE);
  }

  @Test
  void keyIsReadFromAFile(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("cosmos-key");
    Files.writeString(file, KEY_VALUE + "\n");

    assertThat(parse(settings(CosmosStoreConfig.KEY_FILE, file.toString())).key().value())
        .isEqualTo(KEY_VALUE);
    assertThatThrownBy(
            () -> parse(settings(CosmosStoreConfig.KEY_FILE, directory.resolve("none").toString())))
        .hasMessageStartingWith(CosmosStoreConfig.KEY_FILE);
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.KEY_FILE,
                        file.toString(),
                        CosmosStoreConfig.KEY,
                        KEY_VALUE)))
        .hasMessageContaining("not both")
        .hasMessageNotContaining(KEY_VALUE);
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.KEY,
                        KEY_VALUE,
                        CosmosStoreConfig.PARTITION_KEY_PATH,
                        "/subject/reference")))
        .hasMessageStartingWith(CosmosStoreConfig.PARTITION_KEY_PATH)
        .hasMessageContaining("one top-level property");
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.KEY, KEY_VALUE, CosmosStoreConfig.BATCH_SIZE, "500")))
        .hasMessageStartingWith(CosmosStoreConfig.BATCH_SIZE)
        .hasMessageContaining("100");
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.KEY,
                        KEY_VALUE,
                        CosmosStoreConfig.CONNECTION_MODE,
                        "tcp")))
        .hasMessageStartingWith(CosmosStoreConfig.CONNECTION_MODE);
    assertThatThrownBy(
            () ->
                parse(
                    settings(
                        CosmosStoreConfig.KEY,
                        KEY_VALUE,
                        CosmosStoreConfig.CONSISTENCY_LEVEL,
                        "linearizable")))
        .hasMessageStartingWith(CosmosStoreConfig.CONSISTENCY_LEVEL);
  }

  @Test
  void theKeyNeverAppearsWhenSettingsArePrinted() {
    Map<String, String> raw = settings(CosmosStoreConfig.KEY, KEY_VALUE);

    assertThat(CosmosStoreConfig.DEFINITION.parse(raw).toString()).doesNotContain(KEY_VALUE);
    assertThat(parse(raw).toString()).doesNotContain(KEY_VALUE).contains("[hidden]");
    assertThat(parse(raw).key().toString()).doesNotContain(KEY_VALUE);
    assertThat(
            new CosmosStoreFactory()
                .createWriter(CosmosStoreConfig.DEFINITION.parse(raw))
                .toString())
        .doesNotContain(KEY_VALUE);
  }

  @Test
  void aKeyThatIsNotBase64IsRefusedWithoutQuotingIt() {
    String notBase64 = "not-a-key-but-a-password!";
    CosmosStoreConfig config =
        CosmosTestServer.shared()
            .config("never-created")
            .withKey(new io.fhirstream.api.config.Secret(notBase64));

    assertThatThrownBy(() -> new CosmosDocumentWriter(config).open(() -> (event, reason) -> {}))
        .hasMessageContaining(CosmosStoreConfig.KEY)
        .satisfies(e -> assertThat(CosmosStoreTest.everything(e)).doesNotContain(notBase64));
  }
}

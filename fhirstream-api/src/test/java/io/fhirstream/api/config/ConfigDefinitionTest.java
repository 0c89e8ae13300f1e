package io.fhirstream.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDefinitionTest {
  private static final String SECRET = "hunter2-Sup3rSecret";

  private static final ConfigDefinition STORE =
      ConfigDefinition.builder("Test store")
          .define(
              "store.test.url",
              ConfigType.STRING,
              null,
              Validators.NON_EMPTY,
              "JDBC URL of the store.")
          .define(
              "store.test.batch-size",
              ConfigType.INT,
              "500",
              Validators.atLeast(1),
              "Rows per batch.")
          .define(
              "store.test.timeout",
              ConfigType.DURATION,
              "2s",
              Validators.POSITIVE_DURATION,
              "Timeout.")
          .define("store.test.enabled", ConfigType.BOOLEAN, "true", "Whether to write.")
          .define("store.test.topics", ConfigType.LIST, "a, b", "Topics.")
          .define("store.test.path", ConfigType.PATH, "data/x.db", "File.")
          .define(
              "store.test.password",
              ConfigType.PASSWORD,
              "",
              value -> ((String) value).length() > 64 ? "must be at most 64 characters" : null,
              "Password.")
          .define(
              "store.test.mode",
              ConfigType.STRING,
              "fast",
              Validators.oneOf(List.of("fast", "safe")),
              "Mode.")
          .build();

  private static Map<String, String> withUrl(String... keyValues) {
    var raw = new java.util.LinkedHashMap<String, String>();
    raw.put("store.test.url", "jdbc:test://localhost/db");
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put(keyValues[i], keyValues[i + 1]);
    }
    return raw;
  }

  private static ConfigException rejection(Map<String, String> raw) {
    try {
      STORE.parse(raw);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected the settings to be rejected");
  }

  @Test
  void defaultsApplyAndValuesAreTyped() {
    Config config = STORE.parse(withUrl("store.test.batch-size", " 2000 "));

    assertThat(config.getString("store.test.url")).isEqualTo("jdbc:test://localhost/db");
    assertThat(config.getInt("store.test.batch-size")).isEqualTo(2000);
    assertThat(config.getDuration("store.test.timeout")).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.getBoolean("store.test.enabled")).isTrue();
    assertThat(config.getList("store.test.topics")).containsExactly("a", "b");
    assertThat(config.getPath("store.test.path")).isEqualTo(Path.of("data/x.db"));
    assertThat(config.getString("store.test.mode")).isEqualTo("fast");
  }

  @Test
  void undeclaredKeyCannotBeRead() {
    Config config = STORE.parse(withUrl());

    assertThatThrownBy(() -> config.getString("store.test.nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("store.test.nope");
  }

  @Test
  void missingRequiredKeyNamesTheKeyAndItsEnvironmentVariable() {
    ConfigException e = rejection(Map.of());

    assertThat(e.key()).isEqualTo("store.test.url");
    assertThat(e.getMessage())
        .startsWith("store.test.url: is required")
        .contains("FHIRSTREAM_STORE_TEST_URL")
        .contains("JDBC URL of the store.");
  }

  @Test
  void environmentVariableNamesReplaceDotsAndDashes() {
    ConfigKey key =
        STORE.keys().stream()
            .filter(k -> k.name().equals("store.test.batch-size"))
            .findFirst()
            .orElseThrow();

    assertThat(key.environmentVariable()).isEqualTo("FHIRSTREAM_STORE_TEST_BATCH_SIZE");
    assertThat(key.required()).isFalse();
  }

  @Test
  void badTypeNamesKeyValueAndExpectedType() {
    ConfigException e = rejection(withUrl("store.test.batch-size", "lots"));

    assertThat(e.key()).isEqualTo("store.test.batch-size");
    assertThat(e.getMessage()).isEqualTo("store.test.batch-size: 'lots' is not a whole number");
    assertThat(rejection(withUrl("store.test.enabled", "yes")).getMessage())
        .isEqualTo("store.test.enabled: 'yes' is not true or false");
  }

  @Test
  void validatorMessageNamesTheKey() {
    assertThat(rejection(withUrl("store.test.batch-size", "0")).getMessage())
        .isEqualTo("store.test.batch-size: must be at least 1");
    assertThat(rejection(withUrl("store.test.mode", "slow")).getMessage())
        .isEqualTo("store.test.mode: must be one of fast, safe");
    assertThat(rejection(withUrl("store.test.timeout", "0s")).getMessage())
        .isEqualTo("store.test.timeout: must be longer than zero");
    assertThat(rejection(Map.of("store.test.url", "  ")).getMessage())
        .isEqualTo("store.test.url: must not be empty");
  }

  @Test
  void credentialsInsidePlainStringsAreMaskedInToString() {
    assertThat(
            Config.withoutCredentials("jdbc:postgresql://db:5432/fhir?user=u&password=" + SECRET))
        .isEqualTo("jdbc:postgresql://db:5432/fhir?user=u&password=[hidden]");
    assertThat(Config.withoutCredentials("mongodb://app:" + SECRET + "@db:27017/fhir"))
        .isEqualTo("mongodb://[hidden]@db:27017/fhir");
    assertThat(
            Config.withoutCredentials(
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey="
                    + SECRET))
        .isEqualTo(
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=n;SharedAccessKey=[hidden]");
    assertThat(Config.withoutCredentials("https://fhir.example.org/fhir"))
        .isEqualTo("https://fhir.example.org/fhir");
    assertThat(Config.withoutCredentials(42)).isEqualTo(42);
  }

  @Test
  void passwordValueNeverAppearsInErrorsOrToString() {
    Config config = STORE.parse(withUrl("store.test.password", SECRET));
    assertThat(config.getString("store.test.password")).isEqualTo(SECRET);
    assertThat(config.toString()).contains("store.test.password=[hidden]").doesNotContain(SECRET);

    ConfigException tooLong = rejection(withUrl("store.test.password", SECRET.repeat(5)));
    assertThat(tooLong.getMessage()).doesNotContain(SECRET).contains("store.test.password");

    ConfigException misspelt =
        assertUnknown(Map.of("store.test.pasword", SECRET), "did you mean 'store.test.password'?");
    assertThat(misspelt.getMessage()).doesNotContain(SECRET);
  }

  @Test
  void unknownKeyGetsDidYouMean() {
    assertUnknown(Map.of("store.test.batchsize", "5"), "did you mean 'store.test.batch-size'?");
    assertUnknown(Map.of("store.tset.url", "x"), "did you mean 'store.test.url'?");
  }

  @Test
  void unknownKeyFarFromAnyGetsPointerToReference() {
    ConfigException e =
        assertUnknown(Map.of("something.else.entirely", "x"), "configuration reference");
    assertThat(e.getMessage()).doesNotContain("did you mean");
  }

  @Test
  void declaredAndPassthroughKeysAreNotUnknown() {
    UnknownKeys.reject(
        Map.of("store.test.url", "x", "kafka.producer.linger.ms", "5"),
        List.of(STORE),
        List.of("kafka."));
  }

  private static ConfigException assertUnknown(Map<String, String> raw, String hint) {
    try {
      UnknownKeys.reject(raw, List.of(STORE), List.of("kafka."));
    } catch (ConfigException e) {
      assertThat(e.key()).isEqualTo(raw.keySet().iterator().next());
      assertThat(e.getMessage()).contains("unknown setting").contains(hint);
      return e;
    }
    throw new AssertionError("expected an unknown key");
  }

  @Test
  void durationsInEveryDocumentedForm() {
    assertThat(ConfigType.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigType.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ConfigType.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigType.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ConfigType.parseDuration("10")).isEqualTo(Duration.ofSeconds(10));
    assertThat(ConfigType.parseDuration("PT1S")).isEqualTo(Duration.ofSeconds(1));
    assertThat(ConfigType.parseDuration("pt1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(ConfigType.parseDuration("2S")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badDurationNamesKeyAndForms() {
    for (String bad : List.of("soon", "2 weeks", "1.5s", "-1s", "5d", "PT")) {
      assertThat(rejection(withUrl("store.test.timeout", bad)).getMessage())
          .as(bad)
          .isEqualTo(
              "store.test.timeout: '" + bad + "' is not a duration such as 500ms, 2s, 5m or PT1S");
    }
  }

  @Test
  void keyNamesAreDottedLowercaseAndDeclaredOnce() {
    assertThatThrownBy(
            () -> ConfigDefinition.builder().define("Sink.Url", ConfigType.STRING, "", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                ConfigDefinition.builder()
                    .define("a.b", ConfigType.STRING, "", "x")
                    .define("a.b", ConfigType.INT, "1", "y"))
        .hasMessageContaining("declared twice");
  }

  @Test
  void markdownListsEveryKeyWithDefaultAndVariable() {
    String markdown = STORE.toMarkdown();

    assertThat(markdown).startsWith("### Test store");
    assertThat(markdown)
        .contains("| `store.test.url` | string | *required* | `FHIRSTREAM_STORE_TEST_URL` |");
    assertThat(markdown).contains("| `store.test.batch-size` | int | `500` |");
  }

  @Test
  void includeAndPassthroughPrefix() {
    ConfigDefinition combined = ConfigDefinition.builder("all").include(STORE).build();
    Config config = combined.parse(withUrl("kafka.producer.acks", "all"));

    assertThat(combined.declares("store.test.url")).isTrue();
    assertThat(config.withPrefix("kafka.producer.")).containsExactly(Map.entry("acks", "all"));
  }
}

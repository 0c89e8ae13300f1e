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
              "sink.test.url",
              ConfigType.STRING,
              null,
              Validators.NON_EMPTY,
              "JDBC URL of the store.")
          .define(
              "sink.test.batch-size",
              ConfigType.INT,
              "500",
              Validators.atLeast(1),
              "Rows per batch.")
          .define(
              "sink.test.timeout",
              ConfigType.DURATION,
              "2s",
              Validators.POSITIVE_DURATION,
              "Timeout.")
          .define("sink.test.enabled", ConfigType.BOOLEAN, "true", "Whether to write.")
          .define("sink.test.topics", ConfigType.LIST, "a, b", "Topics.")
          .define("sink.test.path", ConfigType.PATH, "data/x.db", "File.")
          .define(
              "sink.test.password",
              ConfigType.PASSWORD,
              "",
              value -> ((String) value).length() > 64 ? "must be at most 64 characters" : null,
              "Password.")
          .define(
              "sink.test.mode",
              ConfigType.STRING,
              "fast",
              Validators.oneOf(List.of("fast", "safe")),
              "Mode.")
          .build();

  private static Map<String, String> withUrl(String... keyValues) {
    var raw = new java.util.LinkedHashMap<String, String>();
    raw.put("sink.test.url", "jdbc:test://localhost/db");
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
    Config config = STORE.parse(withUrl("sink.test.batch-size", " 2000 "));

    assertThat(config.getString("sink.test.url")).isEqualTo("jdbc:test://localhost/db");
    assertThat(config.getInt("sink.test.batch-size")).isEqualTo(2000);
    assertThat(config.getDuration("sink.test.timeout")).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.getBoolean("sink.test.enabled")).isTrue();
    assertThat(config.getList("sink.test.topics")).containsExactly("a", "b");
    assertThat(config.getPath("sink.test.path")).isEqualTo(Path.of("data/x.db"));
    assertThat(config.getString("sink.test.mode")).isEqualTo("fast");
  }

  @Test
  void undeclaredKeyCannotBeRead() {
    Config config = STORE.parse(withUrl());

    assertThatThrownBy(() -> config.getString("sink.test.nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sink.test.nope");
  }

  @Test
  void missingRequiredKeyNamesTheKeyAndItsEnvironmentVariable() {
    ConfigException e = rejection(Map.of());

    assertThat(e.key()).isEqualTo("sink.test.url");
    assertThat(e.getMessage())
        .startsWith("sink.test.url: is required")
        .contains("FHIRSTREAM_SINK_TEST_URL")
        .contains("JDBC URL of the store.");
  }

  @Test
  void environmentVariableNamesReplaceDotsAndDashes() {
    ConfigKey key =
        STORE.keys().stream()
            .filter(k -> k.name().equals("sink.test.batch-size"))
            .findFirst()
            .orElseThrow();

    assertThat(key.environmentVariable()).isEqualTo("FHIRSTREAM_SINK_TEST_BATCH_SIZE");
    assertThat(key.required()).isFalse();
  }

  @Test
  void badTypeNamesKeyValueAndExpectedType() {
    ConfigException e = rejection(withUrl("sink.test.batch-size", "lots"));

    assertThat(e.key()).isEqualTo("sink.test.batch-size");
    assertThat(e.getMessage()).isEqualTo("sink.test.batch-size: 'lots' is not a whole number");
    assertThat(rejection(withUrl("sink.test.enabled", "yes")).getMessage())
        .isEqualTo("sink.test.enabled: 'yes' is not true or false");
  }

  @Test
  void validatorMessageNamesTheKey() {
    assertThat(rejection(withUrl("sink.test.batch-size", "0")).getMessage())
        .isEqualTo("sink.test.batch-size: must be at least 1");
    assertThat(rejection(withUrl("sink.test.mode", "slow")).getMessage())
        .isEqualTo("sink.test.mode: must be one of fast, safe");
    assertThat(rejection(withUrl("sink.test.timeout", "0s")).getMessage())
        .isEqualTo("sink.test.timeout: must be longer than zero");
    assertThat(rejection(Map.of("sink.test.url", "  ")).getMessage())
        .isEqualTo("sink.test.url: must not be empty");
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
    Config config = STORE.parse(withUrl("sink.test.password", SECRET));
    assertThat(config.getString("sink.test.password")).isEqualTo(SECRET);
    assertThat(config.toString()).contains("sink.test.password=[hidden]").doesNotContain(SECRET);

    ConfigException tooLong = rejection(withUrl("sink.test.password", SECRET.repeat(5)));
    assertThat(tooLong.getMessage()).doesNotContain(SECRET).contains("sink.test.password");

    ConfigException misspelt =
        assertUnknown(Map.of("sink.test.pasword", SECRET), "did you mean 'sink.test.password'?");
    assertThat(misspelt.getMessage()).doesNotContain(SECRET);
  }

  @Test
  void unknownKeyGetsDidYouMean() {
    assertUnknown(Map.of("sink.test.batchsize", "5"), "did you mean 'sink.test.batch-size'?");
    assertUnknown(Map.of("sink.tset.url", "x"), "did you mean 'sink.test.url'?");
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
        Map.of("sink.test.url", "x", "kafka.producer.linger.ms", "5"),
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
      assertThat(rejection(withUrl("sink.test.timeout", bad)).getMessage())
          .as(bad)
          .isEqualTo(
              "sink.test.timeout: '" + bad + "' is not a duration such as 500ms, 2s, 5m or PT1S");
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
        .contains("| `sink.test.url` | string | *required* | `FHIRSTREAM_SINK_TEST_URL` |");
    assertThat(markdown).contains("| `sink.test.batch-size` | int | `500` |");
  }

  @Test
  void includeAndPassthroughPrefix() {
    ConfigDefinition combined = ConfigDefinition.builder("all").include(STORE).build();
    Config config = combined.parse(withUrl("kafka.producer.acks", "all"));

    assertThat(combined.declares("sink.test.url")).isTrue();
    assertThat(config.withPrefix("kafka.producer.")).containsExactly(Map.entry("acks", "all"));
  }
}

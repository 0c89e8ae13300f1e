package io.fhirstream.source.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.source.SourceConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each mode needs, what it refuses, and that no secret reaches a message or toString. */
class AuthConfigTest {
  @TempDir Path dir;

  private static SourceConfig parse(Map<String, String> settings) {
    Map<String, String> raw = new HashMap<>(settings);
    raw.put("source.fhir.base-url", "https://fhir.example.org/fhir");
    return SourceConfig.from(SourceConfig.DEFINITION.parse(raw), List.of("Patient"));
  }

  @Test
  void noSettingsMeansNoCredentials() {
    SourceConfig source = parse(Map.of());
    assertThat(source.auth().mode()).isEqualTo(AuthMode.NONE);
    assertThat(source.newCredentials().authorization()).isEmpty();
  }

  @Test
  void aStaticBearerTokenAloneStillMeansBearer() {
    SourceConfig source = parse(Map.of("source.fhir.bearer-token", "t0ken-canary"));
    assertThat(source.auth().mode()).isEqualTo(AuthMode.BEARER);
    assertThat(source.bearerToken()).isPresent();
    assertThat(source.newCredentials().authorization()).contains("Bearer t0ken-canary");
    assertThat(source.toString()).doesNotContain("t0ken-canary");
  }

  @Test
  void basicAuthSendsUserAndPasswordFromAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("password"), "pa55-canary\n");
    SourceConfig source =
        parse(
            Map.of(
                "source.fhir.auth", "basic",
                "source.fhir.auth.username", "reader",
                "source.fhir.auth.password-file", file.toString()));
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString("reader:pa55-canary".getBytes(StandardCharsets.UTF_8));
    assertThat(source.newCredentials().authorization()).contains(expected);
    assertThat(source.toString()).doesNotContain("pa55-canary");
  }

  @Test
  void clientCredentialsNeedAClientIdAndOneSecret() {
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth", "client-credentials",
                        "source.fhir.auth.client-secret", "s3cret-canary")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("source.fhir.auth.client-id:")
        .hasMessageNotContaining("s3cret-canary");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth", "client-credentials",
                        "source.fhir.auth.client-id", "fhirstream")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("source.fhir.auth.client-secret:");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth", "client-credentials",
                        "source.fhir.auth.client-id", "fhirstream",
                        "source.fhir.auth.client-secret", "s3cret-canary",
                        "source.fhir.auth.client-secret-file", "/run/secrets/x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("keep one of them")
        .hasMessageNotContaining("s3cret-canary");
  }

  @Test
  void aMissingSecretFileStopsTheStartNamingTheKey() {
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth",
                        "client-credentials",
                        "source.fhir.auth.client-id",
                        "fhirstream",
                        "source.fhir.auth.client-secret-file",
                        dir.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("source.fhir.auth.client-secret-file: cannot read");
  }

  @Test
  void aSettingOfAnotherModeIsRefusedRatherThanIgnored() {
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth", "basic",
                        "source.fhir.auth.username", "reader",
                        "source.fhir.auth.password", "pa55-canary",
                        "source.fhir.auth.client-secret", "s3cret-canary")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "source.fhir.auth.client-secret: is set, but source.fhir.auth=basic")
        .hasMessageNotContaining("canary");
  }

  @Test
  void smartBackendReadsAPkcs8RsaKeyAndChoosesRs384() throws Exception {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    Path pem =
        Files.writeString(
            dir.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    SourceConfig source = parse(smart(pem, "kid-1"));
    SigningKey key = source.auth().signingKey().orElseThrow();
    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(key.keyId()).contains("kid-1");
    assertThat(source.toString()).doesNotContain(body.substring(0, 40));
  }

  @Test
  void smartBackendReadsAnEcJwkAndTakesItsKid() throws Exception {
    ECKey jwk = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
    Path file = Files.writeString(dir.resolve("key.jwk"), jwk.toJSONString());
    SigningKey key = parse(smart(file, null)).auth().signingKey().orElseThrow();
    assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES384);
    assertThat(key.keyId()).contains("ec-1");
  }

  @Test
  void unusableKeysAreRefusedWithTheFix() throws Exception {
    Path pkcs1 =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> parse(smart(pkcs1, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("source.fhir.auth.private-key-file:")
        .hasMessageContaining("openssl pkcs8 -topk8")
        .hasMessageNotContaining("MIIB");
    ECKey p256 = new ECKeyGenerator(Curve.P_256).generate();
    Path ec = Files.writeString(dir.resolve("p256.jwk"), p256.toJSONString());
    assertThatThrownBy(() -> parse(smart(ec, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("P-384");
    Path publicOnly =
        Files.writeString(
            dir.resolve("public.jwk"),
            new ECKeyGenerator(Curve.P_384).generate().toPublicJWK().toJSONString());
    assertThatThrownBy(() -> parse(smart(publicOnly, null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("public JWK");
  }

  @Test
  void aTokenUrlMustBeAnHttpUrlWithoutCredentials() {
    Map<String, String> settings = new HashMap<>();
    settings.put("source.fhir.auth", "client-credentials");
    settings.put("source.fhir.auth.client-id", "fhirstream");
    settings.put("source.fhir.auth.client-secret", "s3cret-canary");
    settings.put("source.fhir.auth.token-url", "https://user:pw@login.example.org/token");
    assertThatThrownBy(() -> parse(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("source.fhir.auth.token-url");
    settings.put("source.fhir.auth.token-url", "https://login.example.org/token");
    AuthConfig auth = parse(settings).auth();
    assertThat(auth.tokenUrl()).contains(URI.create("https://login.example.org/token"));
    assertThat(auth.refreshSkew()).isEqualTo(Duration.ofSeconds(60));
    assertThat(auth.scope()).isEqualTo(Optional.empty());
  }

  @Test
  void azureModeTakesAManagedIdentityClientIdButNoSecret() {
    // Only parsed here: asking DefaultAzureCredential for a token would probe the cloud's
    // instance metadata address, which a test must never reach.
    AuthConfig auth =
        parse(
                Map.of(
                    "source.fhir.auth", "azure",
                    "source.fhir.auth.client-id", "00000000-0000-0000-0000-000000000001"))
            .auth();
    assertThat(auth.mode()).isEqualTo(AuthMode.AZURE);
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(
                        "source.fhir.auth", "azure",
                        "source.fhir.auth.client-secret", "s3cret-canary")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "source.fhir.auth.client-secret: is set, but source.fhir.auth=azure")
        .hasMessageNotContaining("s3cret-canary");
  }

  private static Map<String, String> smart(Path key, String kid) {
    Map<String, String> settings = new HashMap<>();
    settings.put("source.fhir.auth", "smart-backend");
    settings.put("source.fhir.auth.client-id", "fhirstream");
    settings.put("source.fhir.auth.private-key-file", key.toString());
    if (kid != null) {
      settings.put("source.fhir.auth.key-id", kid);
    }
    return settings;
  }
}

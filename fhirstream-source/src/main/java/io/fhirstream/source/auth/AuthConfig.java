package io.fhirstream.source.auth;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.config.Validators;
import io.fhirstream.source.http.FhirCredentials;
import io.fhirstream.source.http.HttpUrls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Settings of FHIR server authentication, declared once in {@link #DEFINITION} (included in the
 * source's definition). Secrets are held as {@link Secret}s, so this record prints none of them.
 *
 * @param mode how to authenticate
 * @param username basic auth user
 * @param password basic auth password
 * @param bearerToken the static token of mode {@code bearer}
 * @param tokenUrl the OAuth2 token endpoint, or empty to discover it from the FHIR server's {@code
 *     .well-known/smart-configuration}
 * @param clientId the OAuth2 client id
 * @param clientSecret the client secret of mode {@code client-credentials}
 * @param clientSecretPost whether the secret goes in the form body ({@code client_secret_post})
 *     rather than an HTTP Basic header ({@code client_secret_basic})
 * @param scope the scope asked for, or empty to ask for none
 * @param signingKey the key that signs SMART client assertions
 * @param refreshSkew how long before its expiry a token is replaced
 */
public record AuthConfig(
    AuthMode mode,
    Optional<String> username,
    Optional<Secret> password,
    Optional<Secret> bearerToken,
    Optional<URI> tokenUrl,
    String clientId,
    Optional<Secret> clientSecret,
    boolean clientSecretPost,
    Optional<String> scope,
    Optional<SigningKey> signingKey,
    Duration refreshSkew) {

  static final String MODE = "source.fhir.auth";
  static final String USERNAME = "source.fhir.auth.username";
  static final String PASSWORD = "source.fhir.auth.password";
  static final String PASSWORD_FILE = "source.fhir.auth.password-file";
  static final String BEARER_TOKEN = "source.fhir.bearer-token";
  static final String TOKEN_URL = "source.fhir.auth.token-url";
  static final String CLIENT_ID = "source.fhir.auth.client-id";
  static final String CLIENT_SECRET = "source.fhir.auth.client-secret";
  static final String CLIENT_SECRET_FILE = "source.fhir.auth.client-secret-file";
  static final String CLIENT_AUTH_METHOD = "source.fhir.auth.client-auth-method";
  static final String SCOPE = "source.fhir.auth.scope";
  static final String PRIVATE_KEY_FILE = "source.fhir.auth.private-key-file";
  static final String KEY_ID = "source.fhir.auth.key-id";
  static final String SIGNING_ALGORITHM = "source.fhir.auth.signing-algorithm";
  static final String REFRESH_SKEW = "source.fhir.auth.refresh-skew";

  /** Keys only some modes use; setting one under another mode is a mistake worth stopping for. */
  private static final Map<String, Set<AuthMode>> USED_BY =
      Map.ofEntries(
          Map.entry(USERNAME, Set.of(AuthMode.BASIC)),
          Map.entry(PASSWORD, Set.of(AuthMode.BASIC)),
          Map.entry(PASSWORD_FILE, Set.of(AuthMode.BASIC)),
          Map.entry(BEARER_TOKEN, Set.of(AuthMode.BEARER)),
          Map.entry(TOKEN_URL, Set.of(AuthMode.CLIENT_CREDENTIALS, AuthMode.SMART_BACKEND)),
          Map.entry(
              CLIENT_ID,
              Set.of(AuthMode.CLIENT_CREDENTIALS, AuthMode.SMART_BACKEND, AuthMode.AZURE)),
          Map.entry(
              SCOPE, Set.of(AuthMode.CLIENT_CREDENTIALS, AuthMode.SMART_BACKEND, AuthMode.AZURE)),
          Map.entry(CLIENT_SECRET, Set.of(AuthMode.CLIENT_CREDENTIALS)),
          Map.entry(CLIENT_SECRET_FILE, Set.of(AuthMode.CLIENT_CREDENTIALS)),
          Map.entry(PRIVATE_KEY_FILE, Set.of(AuthMode.SMART_BACKEND)),
          Map.entry(KEY_ID, Set.of(AuthMode.SMART_BACKEND)));

  /** The keys, to be included in the source's definition. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("Source: FHIR server authentication")
          .define(
              MODE,
              ConfigType.STRING,
              "none",
              Validators.oneOf(AuthMode.configValues()),
              "How to authenticate to the FHIR server: none, basic (username and password),"
                  + " bearer (the static source.fhir.bearer-token; implied when that is set),"
                  + " client-credentials (OAuth2 with a client secret, e.g. Entra ID) or"
                  + " smart-backend (SMART Backend Services: OAuth2 with a client assertion signed"
                  + " by a private key) or azure (Azure identity's DefaultAzureCredential: managed"
                  + " identity, workload identity, AZURE_* environment, Azure CLI; needs"
                  + " azure-identity on the class path). Credentials go only to the origin of"
                  + " source.fhir.base-url.")
          .define(
              BEARER_TOKEN,
              ConfigType.PASSWORD,
              "",
              "A static bearer token for the FHIR server, sent only to the origin of"
                  + " source.fhir.base-url (never to another host a link or redirect names)."
                  + " Prefer the environment variable to a file.")
          .define(USERNAME, ConfigType.STRING, "", "User name of basic authentication.")
          .define(
              PASSWORD,
              ConfigType.PASSWORD,
              "",
              "Password of basic authentication; prefer the environment variable or"
                  + " source.fhir.auth.password-file.")
          .define(
              PASSWORD_FILE,
              ConfigType.STRING,
              "",
              "A file holding the basic authentication password (e.g. a mounted secret).")
          .define(
              TOKEN_URL,
              ConfigType.STRING,
              "",
              value ->
                  ((String) value).isEmpty()
                      ? null
                      : HttpUrls.problemWithoutCredentials(
                          (String) value, "set source.fhir.auth.client-secret instead"),
              "OAuth2 token endpoint. Empty: read token_endpoint from the FHIR server's"
                  + " {base}/.well-known/smart-configuration.")
          .define(
              CLIENT_ID,
              ConfigType.STRING,
              "",
              "OAuth2 client id; with azure, the client id of a user-assigned managed identity"
                  + " (empty: the system-assigned one).")
          .define(
              CLIENT_SECRET,
              ConfigType.PASSWORD,
              "",
              "OAuth2 client secret (client-credentials); prefer the environment variable or"
                  + " source.fhir.auth.client-secret-file.")
          .define(
              CLIENT_SECRET_FILE,
              ConfigType.STRING,
              "",
              "A file holding the OAuth2 client secret (e.g. a mounted secret).")
          .define(
              CLIENT_AUTH_METHOD,
              ConfigType.STRING,
              "client_secret_basic",
              Validators.oneOf(List.of("client_secret_basic", "client_secret_post")),
              "How the client secret is sent to the token endpoint: an HTTP Basic header or"
                  + " form fields.")
          .define(
              SCOPE,
              ConfigType.STRING,
              "",
              "Scope asked for: for Azure Health Data Services / Azure API for FHIR"
                  + " {fhir-url}/.default; for SMART e.g. system/Patient.rs. Empty: none (azure:"
                  + " {source.fhir.base-url}/.default).")
          .define(
              PRIVATE_KEY_FILE,
              ConfigType.STRING,
              "",
              "Private key that signs SMART client assertions: a PKCS#8 PEM file (BEGIN PRIVATE"
                  + " KEY) or a JWK (JSON) file; RSA or EC P-384.")
          .define(
              KEY_ID,
              ConfigType.STRING,
              "",
              "kid of the signing key as registered in the client's JWKS; empty: the JWK's own"
                  + " kid, else none.")
          .define(
              SIGNING_ALGORITHM,
              ConfigType.STRING,
              "auto",
              Validators.oneOf(List.of("auto", "RS384", "ES384")),
              "Algorithm of SMART client assertions; auto: RS384 for an RSA key, ES384 for EC.")
          .define(
              REFRESH_SKEW,
              ConfigType.DURATION,
              "60s",
              "An access token is replaced this long before it expires (at most half its"
                  + " lifetime before).")
          .build();

  /**
   * Reads and checks the settings: keys each mode needs, keys that do not belong to it, and the
   * secret and key files (read now, so a missing file stops the start, naming the key).
   *
   * @throws ConfigException naming the key and the fix
   */
  public static AuthConfig from(Config config) {
    Optional<Secret> bearer = secret(config, BEARER_TOKEN, null);
    String configured = config.getString(MODE);
    AuthMode mode =
        configured.equals("none") && bearer.isPresent()
            ? AuthMode.BEARER
            : AuthMode.fromConfigValue(configured);
    for (Map.Entry<String, Set<AuthMode>> entry : USED_BY.entrySet()) {
      if (!entry.getValue().contains(mode) && !config.getString(entry.getKey()).isEmpty()) {
        throw new ConfigException(
            entry.getKey(),
            "is set, but "
                + MODE
                + "="
                + mode.configValue()
                + " does not use it; remove it, or set "
                + MODE
                + " to "
                + entry.getValue().stream().map(AuthMode::configValue).sorted().toList());
      }
    }
    Optional<String> username = text(config, USERNAME);
    Optional<Secret> password = secret(config, PASSWORD, PASSWORD_FILE);
    Optional<String> clientId = text(config, CLIENT_ID);
    Optional<Secret> clientSecret = secret(config, CLIENT_SECRET, CLIENT_SECRET_FILE);
    Optional<SigningKey> key = Optional.empty();
    switch (mode) {
      case BASIC -> {
        require(username, USERNAME, "the user name for basic authentication");
        require(password, PASSWORD, "the password (or " + PASSWORD_FILE + ")");
      }
      case BEARER -> require(bearer, BEARER_TOKEN, "the token");
      case CLIENT_CREDENTIALS -> {
        require(clientId, CLIENT_ID, "the OAuth2 client id");
        require(clientSecret, CLIENT_SECRET, "the client secret (or " + CLIENT_SECRET_FILE + ")");
      }
      case SMART_BACKEND -> {
        require(clientId, CLIENT_ID, "the client id the SMART server registered");
        Path file = Path.of(require(text(config, PRIVATE_KEY_FILE), PRIVATE_KEY_FILE, "a key"));
        key =
            Optional.of(
                SigningKey.load(
                    file,
                    config.getString(SIGNING_ALGORITHM),
                    text(config, KEY_ID),
                    PRIVATE_KEY_FILE));
      }
      case AZURE -> requireAzureIdentity();
      case NONE -> {}
    }
    return new AuthConfig(
        mode,
        username,
        password,
        bearer,
        text(config, TOKEN_URL).map(URI::create),
        clientId.orElse(""),
        clientSecret,
        config.getString(CLIENT_AUTH_METHOD).equals("client_secret_post"),
        text(config, SCOPE),
        key,
        config.getDuration(REFRESH_SKEW));
  }

  /**
   * The credentials these settings describe, for the FHIR server at {@code base}. OAuth2 modes ask
   * for their first token on first use; a token endpoint not configured is discovered then.
   */
  public FhirCredentials credentials(URI base, Duration connectTimeout, Duration requestTimeout) {
    return switch (mode) {
      case NONE -> FhirCredentials.none();
      case BASIC -> FhirCredentials.basic(username.orElseThrow(), password.orElseThrow());
      case BEARER -> FhirCredentials.bearer(bearerToken.orElseThrow());
      case CLIENT_CREDENTIALS, SMART_BACKEND -> {
        Supplier<URI> endpoint =
            tokenUrl.isPresent()
                ? tokenUrl::get
                : memoize(() -> SmartDiscovery.tokenEndpoint(base, connectTimeout, requestTimeout));
        TokenEndpoint tokens =
            new TokenEndpoint(this, endpoint, connectTimeout, requestTimeout, Clock.systemUTC());
        yield new OAuthCredentials(
            tokens,
            refreshSkew,
            Clock.systemUTC(),
            "client '" + clientId + "' (" + mode.configValue() + ")");
      }
      case AZURE ->
          new OAuthCredentials(
              new AzureTokenSource(
                  scope.orElse(base + "/.default"),
                  clientId.isEmpty() ? Optional.empty() : Optional.of(clientId)),
              refreshSkew,
              Clock.systemUTC(),
              "Azure identity");
    };
  }

  /**
   * Tokens from Azure identity's {@code DefaultAzureCredential} for a scope other than the FHIR
   * server's, e.g. {@code https://storage.azure.com/.default} for a storage account; the caller
   * sends them to that resource's origin only.
   *
   * @param managedIdentityClientId a user-assigned managed identity's client id, or empty for the
   *     system-assigned one (and the other credentials DefaultAzureCredential tries)
   */
  public static FhirCredentials azureIdentity(
      String scope, Optional<String> managedIdentityClientId, Duration refreshSkew, String what) {
    return new OAuthCredentials(
        new AzureTokenSource(scope, managedIdentityClientId), refreshSkew, Clock.systemUTC(), what);
  }

  /**
   * Checks that azure-identity is on the class path for the setting {@code key}.
   *
   * @throws ConfigException naming the key and the fix
   */
  public static void requireAzureIdentity(String key) {
    try {
      Class.forName(
          "com.azure.identity.DefaultAzureCredentialBuilder",
          false,
          AuthConfig.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(
          key,
          "is azure, but com.azure:azure-identity is not on the class path; add it (its version"
              + " from com.azure:azure-sdk-bom), or use a SAS");
    }
  }

  private static void requireAzureIdentity() {
    try {
      Class.forName(
          "com.azure.identity.DefaultAzureCredentialBuilder",
          false,
          AuthConfig.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException(
          MODE,
          "is azure, but com.azure:azure-identity is not on the class path; add it (its version"
              + " from com.azure:azure-sdk-bom), or use client-credentials with an Entra ID app"
              + " registration");
    }
  }

  private static Supplier<URI> memoize(Supplier<URI> discover) {
    AtomicReference<URI> found = new AtomicReference<>();
    return () -> {
      URI uri = found.get();
      if (uri == null) {
        uri = discover.get();
        found.compareAndSet(null, uri);
      }
      return uri;
    };
  }

  private static Optional<String> text(Config config, String key) {
    return Optional.of(config.getString(key).trim()).filter(s -> !s.isEmpty());
  }

  private static Optional<Secret> secret(Config config, String key, String fileKey) {
    Optional<Secret> inline =
        Optional.of(config.getString(key)).filter(s -> !s.isEmpty()).map(Secret::new);
    Optional<String> file = fileKey == null ? Optional.empty() : text(config, fileKey);
    if (file.isEmpty()) {
      return inline;
    }
    if (inline.isPresent()) {
      throw new ConfigException(fileKey, "and " + key + " are both set; keep one of them");
    }
    try {
      String value = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw new ConfigException(fileKey, "names an empty file (" + file.get() + ")");
      }
      return Optional.of(new Secret(value));
    } catch (IOException e) {
      throw new ConfigException(
          fileKey,
          "cannot read "
              + file.get()
              + " ("
              + e.getClass().getSimpleName()
              + "); check the path and that fhirstream may read it");
    }
  }

  private static <T> T require(Optional<T> value, String key, String what) {
    return value.orElseThrow(
        () -> new ConfigException(key, "is required by " + MODE + "; set it to " + what));
  }
}

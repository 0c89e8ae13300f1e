package io.fhirstream.store.postgres;

import io.fhirstream.api.config.Config;
import io.fhirstream.api.config.ConfigDefinition;
import io.fhirstream.api.config.ConfigException;
import io.fhirstream.api.config.ConfigKey;
import io.fhirstream.api.config.ConfigType;
import io.fhirstream.api.config.Secret;
import io.fhirstream.api.config.Validators;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The settings of the PostgreSQL store, declared once in {@link #DEFINITION}.
 *
 * @param url the JDBC URL, {@code jdbc:postgresql://host:5432/database}; never printed, as it may
 *     hold a password in its query
 * @param user the role to log in as, or empty to take it from the URL
 * @param password the role's password, or {@code null} to take it from the URL (or none)
 * @param schema the schema holding one table per resource type
 * @param batchSize rows sent to the server per JDBC batch
 * @param connectTimeout how long connecting and logging in may take
 * @param socketTimeout how long one round trip may take before the connection counts as lost
 * @param sslMode the driver's {@code sslmode}
 * @param applicationName shown in {@code pg_stat_activity}, so a DBA can tell the writer's sessions
 */
public record PostgresStoreConfig(
    String url,
    String user,
    Secret password,
    String schema,
    int batchSize,
    Duration connectTimeout,
    Duration socketTimeout,
    String sslMode,
    String applicationName) {

  public static final String URL = "store.postgres.url";
  public static final String USER = "store.postgres.user";
  public static final String PASSWORD = "store.postgres.password";
  public static final String PASSWORD_FILE = "store.postgres.password-file";
  public static final String SCHEMA = "store.postgres.schema";
  public static final String BATCH_SIZE = "store.postgres.batch-size";
  public static final String CONNECT_TIMEOUT = "store.postgres.connect-timeout";
  public static final String SOCKET_TIMEOUT = "store.postgres.socket-timeout";
  public static final String SSL_MODE = "store.postgres.ssl-mode";
  public static final String APPLICATION_NAME = "store.postgres.application-name";

  /** Unquoted-style names only: a schema name is spliced into SQL (quoted), never a value. */
  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private static final List<String> SSL_MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  /** The store's keys, all under {@code store.postgres.}. */
  public static final ConfigDefinition DEFINITION =
      ConfigDefinition.builder("PostgreSQL store (store.type=postgres)")
          .define(
              URL,
              ConfigType.STRING,
              null,
              PostgresStoreConfig::checkUrl,
              "JDBC URL of the database, e.g. jdbc:postgresql://db.example.org:5432/fhir. Driver"
                  + " options may follow in the query (?sslrootcert=...&target_session_attrs="
                  + "read-write).")
          .define(
              USER,
              ConfigType.STRING,
              "",
              "The role the writer logs in as; empty takes it from the URL.")
          .define(
              PASSWORD,
              ConfigType.PASSWORD,
              "",
              "The role's password; empty for none or to use " + PASSWORD_FILE + ".")
          .define(
              PASSWORD_FILE,
              ConfigType.STRING,
              "",
              "A file holding the password (a mounted secret), read at start-up; a trailing line"
                  + " break is ignored. Set this or "
                  + PASSWORD
                  + ", not both.")
          .define(
              SCHEMA,
              ConfigType.STRING,
              "public",
              value ->
                  SCHEMA_NAME.matcher((String) value).matches()
                      ? null
                      : "must be a schema name of letters, digits and underscores (at most 63),"
                          + " starting with a letter or underscore",
              "The schema holding one table per resource type; created if missing.")
          .define(
              BATCH_SIZE,
              ConfigType.INT,
              "500",
              value ->
                  (Integer) value >= 1 && (Integer) value <= 100_000
                      ? null
                      : "must be between 1 and 100000",
              "Rows sent to the server in one JDBC batch (rewritten into multi-row inserts).")
          .define(
              CONNECT_TIMEOUT,
              ConfigType.DURATION,
              "10s",
              Validators.POSITIVE_DURATION,
              "How long connecting and logging in may take before failing as retriable.")
          .define(
              SOCKET_TIMEOUT,
              ConfigType.DURATION,
              "2m",
              Validators.POSITIVE_DURATION,
              "How long the writer waits for one answer from the server before it counts the"
                  + " connection as lost (retriable) and reconnects.")
          .define(
              SSL_MODE,
              ConfigType.STRING,
              "prefer",
              Validators.oneOf(SSL_MODES),
              "TLS: disable, allow, prefer, require, verify-ca or verify-full (use verify-full"
                  + " across networks you do not control).")
          .define(
              APPLICATION_NAME,
              ConfigType.STRING,
              "fhirstream-sink",
              "Shown as application_name in pg_stat_activity.")
          .build();

  public PostgresStoreConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    Objects.requireNonNull(sslMode, "sslMode");
    Objects.requireNonNull(applicationName, "applicationName");
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException(SCHEMA + " is not a schema name");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(BATCH_SIZE + " must be at least 1");
    }
  }

  /** The settings for a server and role, with every other setting at its default. */
  public static PostgresStoreConfig of(String url, String user, String password) {
    return new PostgresStoreConfig(
        url,
        user,
        password == null ? null : new Secret(password),
        "public",
        500,
        Duration.ofSeconds(10),
        Duration.ofMinutes(2),
        "prefer",
        "fhirstream-sink");
  }

  /**
   * Reads settings validated by {@link #DEFINITION}, including the password file.
   *
   * @throws ConfigException naming the key when both password keys are set or the file cannot be
   *     read
   */
  public static PostgresStoreConfig from(Config config) {
    String password = config.getString(PASSWORD);
    String passwordFile = config.getString(PASSWORD_FILE).trim();
    if (!password.isEmpty() && !passwordFile.isEmpty()) {
      throw new ConfigException(
          PASSWORD_FILE, "set either " + PASSWORD + " or " + PASSWORD_FILE + ", not both");
    }
    if (!passwordFile.isEmpty()) {
      password = readPasswordFile(Path.of(passwordFile));
    }
    return new PostgresStoreConfig(
        config.getString(URL).trim(),
        config.getString(USER),
        password.isEmpty() ? null : new Secret(password),
        config.getString(SCHEMA),
        config.getInt(BATCH_SIZE),
        config.getDuration(CONNECT_TIMEOUT),
        config.getDuration(SOCKET_TIMEOUT),
        config.getString(SSL_MODE),
        config.getString(APPLICATION_NAME));
  }

  /** The same settings in another schema. */
  public PostgresStoreConfig withSchema(String otherSchema) {
    return new PostgresStoreConfig(
        url,
        user,
        password,
        otherSchema,
        batchSize,
        connectTimeout,
        socketTimeout,
        sslMode,
        applicationName);
  }

  /** The same settings with another batch size. */
  public PostgresStoreConfig withBatchSize(int size) {
    return new PostgresStoreConfig(
        url, user, password, schema, size, connectTimeout, socketTimeout, sslMode, applicationName);
  }

  /** The same settings with another application name. */
  public PostgresStoreConfig withApplicationName(String name) {
    return new PostgresStoreConfig(
        url, user, password, schema, batchSize, connectTimeout, socketTimeout, sslMode, name);
  }

  @Override
  public String toString() {
    // The URL may carry a password in its query: show only where it points.
    return "PostgresStoreConfig[server="
        + PostgresConnector.describe(url)
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "[hidden]")
        + ", schema="
        + schema
        + ", batchSize="
        + batchSize
        + "]";
  }

  private static String readPasswordFile(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // Files written by `echo` or editors end with a line break that is not part of the secret.
      return text.endsWith("\r\n")
          ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          PASSWORD_FILE,
          "cannot read "
              + file.toAbsolutePath()
              + " ("
              + e.getClass().getSimpleName()
              + "); check the path and that the process may read it");
    }
  }

  /** A {@link ConfigKey.Validator} that never repeats the URL: it may hold a password. */
  private static String checkUrl(Object value) {
    String url = ((String) value).trim();
    if (url.isEmpty()) {
      return "must not be empty; write it as jdbc:postgresql://host:5432/database";
    }
    if (org.postgresql.Driver.parseURL(url, null) == null) {
      return "is not a PostgreSQL JDBC URL (the value is not repeated here, as it may hold a"
          + " password); write it as jdbc:postgresql://host:5432/database";
    }
    return null;
  }
}

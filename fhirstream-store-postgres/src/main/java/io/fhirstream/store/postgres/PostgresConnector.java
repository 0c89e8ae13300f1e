package io.fhirstream.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Opens connections for a {@link PostgresStoreConfig} through the driver directly (not {@code
 * DriverManager}, whose "no suitable driver" message repeats the URL), and knows the secrets that
 * must never reach a message.
 */
final class PostgresConnector {
  private final PostgresStoreConfig config;
  private final String server;
  private final List<String> secrets = new ArrayList<>();

  PostgresConnector(PostgresStoreConfig config) {
    this.config = config;
    this.server = describe(config.url());
    if (config.password() != null && !config.password().value().isEmpty()) {
      secrets.add(config.password().value());
    }
    Properties fromUrl = Driver.parseURL(config.url(), null);
    String urlPassword = fromUrl == null ? null : fromUrl.getProperty("password");
    if (urlPassword != null && !urlPassword.isEmpty()) {
      secrets.add(urlPassword);
    }
  }

  /** {@code host:port/database} of a JDBC URL: where it points, without its query. */
  static String describe(String url) {
    Properties parsed = Driver.parseURL(url, null);
    if (parsed == null) {
      return "(an invalid JDBC URL)";
    }
    return "postgresql://"
        + parsed.getProperty(PGProperty.PG_HOST.getName(), "localhost")
        + ":"
        + parsed.getProperty(PGProperty.PG_PORT.getName(), "5432")
        + "/"
        + parsed.getProperty(PGProperty.PG_DBNAME.getName(), "");
  }

  /** Where the writer writes, for messages: server, database and schema. */
  String where() {
    return server + " schema " + config.schema();
  }

  /** Replaces every known secret in text that came from the driver or the server. */
  String redact(String text) {
    if (text == null) {
      return "";
    }
    String safe = text;
    for (String secret : secrets) {
      safe = safe.replace(secret, "[hidden]");
    }
    return safe;
  }

  /**
   * A new connection with auto-commit off.
   *
   * @throws SQLException as the driver reports it; translate with {@link PostgresErrors}
   */
  Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (!config.user().isEmpty()) {
      properties.setProperty(PGProperty.USER.getName(), config.user());
    }
    if (config.password() != null) {
      properties.setProperty(PGProperty.PASSWORD.getName(), config.password().value());
    }
    int connectSeconds = seconds(config.connectTimeout());
    properties.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), "" + connectSeconds);
    properties.setProperty(PGProperty.LOGIN_TIMEOUT.getName(), "" + connectSeconds);
    properties.setProperty(
        PGProperty.SOCKET_TIMEOUT.getName(), "" + seconds(config.socketTimeout()));
    properties.setProperty(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
    properties.setProperty(PGProperty.SSL_MODE.getName(), config.sslMode());
    properties.setProperty(PGProperty.APPLICATION_NAME.getName(), config.applicationName());
    // Multi-row INSERTs instead of one statement per row: the driver's biggest batching gain.
    properties.setProperty(PGProperty.REWRITE_BATCHED_INSERTS.getName(), "true");
    // Keeps bound values (patient data) out of exception messages, e.g. "Batch entry 0 ...".
    properties.setProperty(PGProperty.LOG_SERVER_ERROR_DETAIL.getName(), "false");
    Connection connection = new Driver().connect(config.url(), properties);
    if (connection == null) {
      // Only when the URL is not a PostgreSQL one, which config validation already rules out.
      throw new SQLException("the URL in " + PostgresStoreConfig.URL + " is not a PostgreSQL one");
    }
    try {
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** The driver takes whole seconds; round up so a sub-second setting does not mean "forever". */
  private static int seconds(java.time.Duration duration) {
    long millis = duration.toMillis();
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
  }
}

package io.fhirstream.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (zonky's embedded binaries, PostgreSQL 14) on 127.0.0.1 for tests and
 * benchmarks. It holds a UTF8 database {@value #DATABASE} and a role {@value #SINK_ROLE} that logs
 * in with a password (SCRAM) and may create schemas there, as a writer's role would in production;
 * the superuser {@code postgres} is trusted from 127.0.0.1 only.
 *
 * <p>The tests share one server per JVM through {@link #shared()}. Run as root, zonky starts the
 * binaries in a user namespace ({@code unshare -U}) as an unprivileged user, since PostgreSQL
 * refuses to run as root. {@link #main} runs a server as its own process for the benchmark.
 */
public final class PostgresTestServer implements AutoCloseable {
  public static final String DATABASE = "fhirstream";
  public static final String SINK_ROLE = "fhirstream_sink";

  private static PostgresTestServer shared;

  private final Path directory;
  private final int port;
  private final String sinkPassword;
  private EmbeddedPostgres server;

  private PostgresTestServer(Path directory, int port, String sinkPassword) {
    this.directory = directory;
    this.port = port;
    this.sinkPassword = sinkPassword;
  }

  /** The server the tests of this JVM share, started on first use and stopped at exit. */
  public static synchronized PostgresTestServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(shared::close, "postgres-test-server-shutdown"));
    }
    return shared;
  }

  /** Starts a new server in a temporary directory; {@link #close()} stops it and deletes it. */
  public static PostgresTestServer start() {
    try {
      Path directory = Files.createTempDirectory("fhirstream-postgres-");
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      PostgresTestServer server =
          new PostgresTestServer(directory, freePort(), HexFormat.of().formatHex(secret));
      server.launch();
      server.createDatabaseAndRole();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("starting PostgreSQL for tests", e);
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/fhirstream}. */
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  public String sinkPassword() {
    return sinkPassword;
  }

  /** Settings for a writer that logs in as {@value #SINK_ROLE} and writes into {@code schema}. */
  public PostgresStoreConfig sinkConfig(String schema) {
    return PostgresStoreConfig.of(url(), SINK_ROLE, sinkPassword).withSchema(schema);
  }

  /** A connection as the superuser, auto-commit on, for set-up and inspection. */
  public Connection superuser() throws SQLException {
    return DriverManager.getConnection(url(), "postgres", "");
  }

  /**
   * A real outage: the server shuts down (fast mode, so every session is terminated and new
   * connections are refused) and starts again on the same port and data when the handle closes.
   */
  public synchronized AutoCloseable outage() throws IOException {
    server.close();
    server = null;
    return this::restart;
  }

  private synchronized void restart() throws IOException {
    if (server == null) {
      launch();
    }
  }

  private void launch() throws IOException {
    server =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory.resolve("data"))
            .setCleanDataDirectory(false) // true would run initdb again on a restart
            .setRegisterShutdownHook(false)
            .setPort(port)
            .setServerConfig("listen_addresses", "127.0.0.1")
            // zonky turns this off for speed; the writer's promise is durability at commit.
            .setServerConfig("synchronous_commit", "on")
            .setDataDirectoryCustomizer(PostgresTestServer::requirePasswords)
            .start();
  }

  /** Passwords for every role but the superuser, which is trusted from this machine only. */
  private static void requirePasswords(java.io.File dataDirectory) {
    try {
      Files.writeString(
          dataDirectory.toPath().resolve("pg_hba.conf"),
          "local all all trust\n"
              + "host all postgres 127.0.0.1/32 trust\n"
              + "host all all 127.0.0.1/32 scram-sha-256\n",
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void createDatabaseAndRole() {
    try (Connection postgres = DriverManager.getConnection(jdbc("postgres"), "postgres", "");
        Statement statement = postgres.createStatement()) {
      statement.execute(
          "CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0 LOCALE 'C'");
      statement.execute("CREATE ROLE " + SINK_ROLE + " LOGIN PASSWORD '" + sinkPassword + "'");
      statement.execute("GRANT CONNECT, CREATE ON DATABASE " + DATABASE + " TO " + SINK_ROLE);
    } catch (SQLException e) {
      throw new IllegalStateException("setting up the test database", e);
    }
  }

  private String jdbc(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Stops the server and deletes its data. */
  @Override
  public synchronized void close() {
    try {
      if (server != null) {
        server.close();
        server = null;
      }
      if (Files.exists(directory)) {
        try (Stream<Path> files = Files.walk(directory)) {
          files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("stopping PostgreSQL for tests", e);
    }
  }

  /**
   * Runs a server until stdin closes or the process is terminated, printing the writer's settings,
   * one {@code key=value} a line; the password is in a file readable by this user only.
   */
  public static void main(String[] args) throws IOException {
    PostgresTestServer server = start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
    Path passwordFile = server.directory.resolve("sink-password");
    Files.writeString(passwordFile, server.sinkPassword, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    System.out.println(PostgresStoreConfig.URL + "=" + server.url());
    System.out.println(PostgresStoreConfig.USER + "=" + SINK_ROLE);
    System.out.println(PostgresStoreConfig.PASSWORD_FILE + "=" + passwordFile);
    System.out.flush();
    while (System.in.read() != -1) {
      // Runs until whoever started it closes our stdin.
    }
    server.close();
  }
}

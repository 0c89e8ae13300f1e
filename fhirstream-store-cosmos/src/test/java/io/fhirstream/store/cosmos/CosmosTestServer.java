package io.fhirstream.store.cosmos;

import io.fhirstream.api.config.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code @vercel/cosmosdb-server} (an independent implementation of the Cosmos DB REST API,
 * installed by {@code scripts/ensure-cosmosdb-server.sh}) with node on 127.0.0.1 and a free port,
 * through {@code cosmos-test-server.js}. It speaks HTTPS with its own self-signed certificate, so a
 * client JVM needs {@code -DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true} and
 * gateway mode. It keeps data in memory and checks no key (any base64 key is accepted).
 *
 * <p>The tests share one server ({@link #shared()}), each test using its own database. {@link
 * #main} runs one for the benchmark: it prints the settings to use, one {@code key=value} per line,
 * and runs until stdin closes or the process is terminated.
 */
public final class CosmosTestServer implements AutoCloseable {
  /** The package directory, as the build's ensure script installs it. */
  static final String HOME_PROPERTY = "cosmosdb-server.home";

  private static final String NO_CERTIFICATE_CHECK =
      "COSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED";
  private static CosmosTestServer shared;

  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final int port;
  private final Secret key;

  private CosmosTestServer(Process process, int port) {
    this.process = process;
    this.port = port;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    byte[] random = new byte[64];
    new SecureRandom().nextBytes(random);
    this.key = new Secret(Base64.getEncoder().encodeToString(random));
    Thread reader = new Thread(this::readReplies, "cosmosdb-server-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The server all tests of this JVM share, started on first use and stopped at exit. */
  public static synchronized CosmosTestServer shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /**
   * Starts a server and waits until it accepts connections.
   *
   * @throws IllegalStateException saying what to install when node or the package is missing
   */
  public static CosmosTestServer start() {
    if (System.getProperty(NO_CERTIFICATE_CHECK) == null) {
      System.setProperty(NO_CERTIFICATE_CHECK, "true");
    }
    Path home = home();
    if (!Files.isRegularFile(home.resolve("node_modules/@vercel/cosmosdb-server/lib/index.js"))) {
      throw new IllegalStateException(
          "@vercel/cosmosdb-server is not installed in "
              + home
              + "; run scripts/ensure-cosmosdb-server.sh (the Maven build does) with node and npm"
              + " on the PATH");
    }
    int port = freePort();
    try {
      Path script = Files.createTempFile("cosmos-test-server", ".js");
      script.toFile().deleteOnExit();
      try (InputStream in =
          CosmosTestServer.class.getClassLoader().getResourceAsStream("cosmos-test-server.js")) {
        Files.write(script, in.readAllBytes());
      }
      Process process =
          new ProcessBuilder(
                  List.of(
                      "node",
                      script.toString(),
                      home.resolve("node_modules/@vercel/cosmosdb-server").toString(),
                      Integer.toString(port)))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      CosmosTestServer server = new CosmosTestServer(process, port);
      server.await("ready", Duration.ofSeconds(30));
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start node for the Cosmos DB test server; install Node.js 20 or newer", e);
    }
  }

  private static Path home() {
    String configured = System.getProperty(HOME_PROPERTY);
    if (configured == null) {
      configured = System.getenv("FHIRSTREAM_COSMOSDB_SERVER_HOME");
    }
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "fhirstream", "cosmosdb-server");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code https://127.0.0.1:<port>/}. */
  public String endpoint() {
    return "https://127.0.0.1:" + port + "/";
  }

  /** A random key: the server checks none, but the SDK signs every request with one. */
  public Secret key() {
    return key;
  }

  /** Settings for a database of this server: gateway mode, a short request timeout. */
  public CosmosStoreConfig config(String database) {
    return CosmosStoreConfig.withKey(endpoint(), key)
        .inGatewayMode()
        .withDatabase(database)
        .withRequestTimeout(Duration.ofSeconds(5));
  }

  /**
   * Stops listening and cuts every open connection until the returned handle is closed; the data is
   * kept.
   */
  public AutoCloseable outage() {
    command("stop", "stopped");
    return () -> command("start", "started");
  }

  private synchronized void command(String command, String reply) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the Cosmos DB test server has gone", e);
    }
    await(reply, Duration.ofSeconds(10));
  }

  private void await(String reply, Duration timeout) {
    try {
      String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      while (line != null && !line.startsWith(reply)) {
        line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      if (line == null) {
        close();
        throw new IllegalStateException(
            "the Cosmos DB test server did not answer '" + reply + "' within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the Cosmos DB test server", e);
    }
  }

  private void readReplies() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        replies.add(line);
      }
    } catch (IOException ended) {
      // The process exited.
    }
  }

  /** Ends the server: closing its stdin makes it exit; it is killed (by its pid) if it hangs. */
  @Override
  public void close() {
    try {
      commands.close();
    } catch (IOException alreadyGone) {
      // Nothing to close.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Runs a server for the benchmark until stdin closes or the process is terminated. */
  public static void main(String[] args) throws IOException, InterruptedException {
    CosmosTestServer server = start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    System.out.println(CosmosStoreConfig.ENDPOINT + "=" + server.endpoint());
    System.out.println(CosmosStoreConfig.KEY + "=" + server.key().value());
    System.out.println(CosmosStoreConfig.CONNECTION_MODE + "=gateway");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until stdin closes.
    }
    server.close();
  }
}

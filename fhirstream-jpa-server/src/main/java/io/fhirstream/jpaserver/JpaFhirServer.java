package io.fhirstream.jpaserver;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A HAPI FHIR JPA server (R4, H2) in its own process: HAPI's {@link RestfulServer} from the Spring
 * context {@link JpaServerConfig}, on embedded Jetty bound to 127.0.0.1, at {@code /fhir}.
 *
 * <p>Lifecycle: {@link #start} builds the context (creating or updating the H2 schema), starts
 * Jetty, answers one {@code /metadata} request itself and only then prints {@value #READY_PREFIX}
 * followed by the base URL on stdout, so a parent process that sees the line can send requests at
 * once. {@link #close} (run by SIGTERM through a shutdown hook) stops Jetty first, so no request is
 * cut mid-transaction, then the context, which closes the database.
 */
public final class JpaFhirServer implements AutoCloseable {
  /** What the ready line starts with; the base URL follows it. */
  public static final String READY_PREFIX = "fhir server ready at ";

  /** Path under which the FHIR endpoint is mounted. */
  static final String CONTEXT_PATH = "/fhir";

  private static final String LOGBACK_CONFIG = "io/fhirstream/jpaserver/jpa-server-logback.xml";

  private final AnnotationConfigApplicationContext context;
  private final Server jetty;
  private final String baseUrl;

  private JpaFhirServer(AnnotationConfigApplicationContext context, Server jetty, String baseUrl) {
    this.context = context;
    this.jetty = jetty;
    this.baseUrl = baseUrl;
  }

  /** Starts a server and returns once it has answered a {@code /metadata} request. */
  static JpaFhirServer start(JpaServerOptions options) throws Exception {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    Server jetty = null;
    try {
      context.registerBean(JpaServerOptions.class, () -> options);
      context.register(JpaServerConfig.class);
      context.refresh();
      jetty = jetty(context.getBean(RestfulServer.class), options.port());
      jetty.start();
      int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
      JpaFhirServer server =
          new JpaFhirServer(context, jetty, "http://127.0.0.1:" + port + CONTEXT_PATH);
      server.awaitMetadata();
      return server;
    } catch (Exception | Error e) {
      if (jetty != null) {
        jetty.stop();
      }
      context.close();
      throw e;
    }
  }

  private static Server jetty(RestfulServer restfulServer, int port) {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler handler = new ServletContextHandler();
    handler.setContextPath("/");
    ServletHolder holder = new ServletHolder("fhir", restfulServer);
    // HAPI scans its providers in init(): do it at start, so a broken provider fails start-up.
    holder.setInitOrder(0);
    handler.addServlet(holder, CONTEXT_PATH + "/*");
    server.setHandler(handler);
    server.setStopTimeout(10_000);
    return server;
  }

  /**
   * The first {@code /metadata} builds the CapabilityStatement from every search parameter; doing
   * it here keeps that cost out of the first client's request and proves the endpoint answers.
   */
  private void awaitMetadata() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/metadata"))
                .timeout(Duration.ofMinutes(1))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "the new server answered /metadata with HTTP " + response.statusCode());
    }
  }

  /** The FHIR base URL, e.g. {@code http://127.0.0.1:8090/fhir}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** Stops Jetty, then the Spring context (which closes the database). */
  @Override
  public void close() {
    try {
      jetty.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping Jetty failed", e);
    } finally {
      context.close();
    }
  }

  /** Runs a server until SIGTERM: {@code --port 0 --data-dir DIR}; see the package docs. */
  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    int exitCode = new CommandLine(new Cli()).execute(args);
    if (exitCode != 0) {
      // A failed start may leave HAPI's scheduler threads behind; they must not keep the JVM up.
      System.exit(exitCode);
    }
  }

  @Command(
      name = "jpa-fhir-server",
      mixinStandardHelpOptions = true,
      description = "Runs a HAPI FHIR JPA server (R4, H2) on 127.0.0.1 until SIGTERM.")
  static final class Cli implements Callable<Integer> {
    @Option(
        names = "--port",
        defaultValue = "8090",
        description = "Port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--data-dir",
        description = "Directory for the H2 database files; in memory when absent.")
    Path dataDir;

    @Option(
        names = "--db-connections",
        defaultValue = "10",
        description = "JDBC connection pool size (default ${DEFAULT-VALUE}).")
    int dbConnections;

    @Option(
        names = "--subscriptions",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description =
            "Serve rest-hook Subscriptions (default on; --no-subscriptions spares every write"
                + " the matching queue).")
    boolean subscriptions;

    @Option(
        names = "--parent-pid",
        description = "Stop when the process with this pid ends (set by JpaFhirServerProcess).")
    Long parentPid;

    @Override
    public Integer call() throws Exception {
      Logger log = LoggerFactory.getLogger(JpaFhirServer.class);
      if (parentPid != null) {
        exitWithParent(parentPid, log);
      }
      long started = System.nanoTime();
      JpaFhirServer server =
          start(
              new JpaServerOptions(
                  port, Optional.ofNullable(dataDir), dbConnections, subscriptions));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, log), "jpa-server-stop"));
      log.info(
          "started in {} ms, database {}",
          (System.nanoTime() - started) / 1_000_000,
          dataDir == null ? "in memory" : dataDir.toAbsolutePath());
      System.out.println(READY_PREFIX + server.baseUrl());
      System.out.flush();
      server.jetty.join();
      return 0;
    }

    /** A test JVM that is killed cannot stop its server: the server notices and stops itself. */
    private static void exitWithParent(long pid, Logger log) {
      ProcessHandle parent =
          ProcessHandle.of(pid)
              .orElseThrow(
                  () -> new IllegalStateException("--parent-pid " + pid + " is not running"));
      parent
          .onExit()
          .thenRun(
              () -> {
                log.warn("parent process {} ended: stopping", pid);
                System.exit(0);
              });
    }

    private static void stop(JpaFhirServer server, Logger log) {
      try {
        server.close();
        log.info("stopped");
      } catch (Exception e) {
        log.error("stopping failed", e);
      }
    }
  }
}

package io.fhirstream.runtime.embedded;

import io.fhirstream.api.PipelineException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) in this JVM, bound
 * to 127.0.0.1, with its log under a data directory that survives restarts. The storage is
 * formatted once; later starts reuse it, so topics, offsets and cursors persist like on any broker.
 *
 * <p>Besides its PLAINTEXT listener it can open secured ones ({@link #builder}), to try and test
 * clients the way they meet a production cluster: SASL_PLAINTEXT (PLAIN and SCRAM-SHA-256), SSL,
 * and SASL_SSL (PLAIN, as Azure Event Hubs' Kafka endpoint uses). The broker talks to itself over
 * PLAINTEXT, and no authorizer runs: any authenticated client may do anything.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaRaftServer server;
  private final Map<SecurityProtocol, String> bootstrapServers;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, Map<SecurityProtocol, String> bootstrapServers) {
    this.server = server;
    this.bootstrapServers = Map.copyOf(bootstrapServers);
  }

  /** A broker with optional secured listeners beside the PLAINTEXT one. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where the log lives; created if missing
   * @param port the client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return builder(dataDir).port(port).start();
  }

  private static EmbeddedKafkaBroker start(Builder options) {
    Path dataDir = options.dataDir;
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new PipelineException(
          "cannot create the embedded Kafka directory "
              + dataDir.toAbsolutePath()
              + "; check permissions or set embedded.kafka.data-dir");
    }
    Map<SecurityProtocol, String> listeners = new LinkedHashMap<>();
    listeners.put(
        SecurityProtocol.PLAINTEXT, "127.0.0.1:" + (options.port == 0 ? freePort() : options.port));
    if (!options.users.isEmpty()) {
      listeners.put(SecurityProtocol.SASL_PLAINTEXT, "127.0.0.1:" + freePort());
    }
    if (options.keyStore != null) {
      listeners.put(SecurityProtocol.SSL, "127.0.0.1:" + freePort());
      if (!options.users.isEmpty()) {
        listeners.put(SecurityProtocol.SASL_SSL, "127.0.0.1:" + freePort());
      }
    }
    int controllerPort = freePort();
    Properties props = properties(dataDir, listeners, controllerPort);
    format(dataDir, props);
    props.putAll(security(options, listeners));
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    long started = System.nanoTime();
    server.startup();
    LOG.info(
        "embedded Kafka broker on {} ({} ms, data in {})",
        listeners,
        (System.nanoTime() - started) / 1_000_000,
        dataDir);
    return new EmbeddedKafkaBroker(server, listeners);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers.get(SecurityProtocol.PLAINTEXT);
  }

  /**
   * The address of the listener with this protocol.
   *
   * @throws IllegalStateException if the broker was started without it
   */
  public String bootstrapServers(SecurityProtocol protocol) {
    String servers = bootstrapServers.get(protocol);
    if (servers == null) {
      throw new IllegalStateException(
          "the embedded broker has no " + protocol + " listener; open it with the builder");
    }
    return servers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(
      Path dataDir, Map<SecurityProtocol, String> listeners, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    StringBuilder advertised = new StringBuilder();
    StringBuilder protocols = new StringBuilder("CONTROLLER:PLAINTEXT");
    listeners.forEach(
        (protocol, address) -> {
          advertised.append(advertised.length() == 0 ? "" : ",");
          advertised.append(protocol.name).append("://").append(address);
          protocols.append(',').append(protocol.name).append(':').append(protocol.name);
        });
    p.put("listeners", advertised + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", advertised.toString());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", protocols.toString());
    p.put("log.dirs", dataDir.toAbsolutePath().toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // The cleaner's default 128 MB dedupe buffer is sized for big brokers, not a laptop JVM.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024 + 1024));
    return p;
  }

  /**
   * Settings of the secured listeners. Kept out of the file written for formatting, since they hold
   * passwords.
   */
  private static Properties security(Builder options, Map<SecurityProtocol, String> listeners) {
    Properties p = new Properties();
    if (!options.users.isEmpty()) {
      p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256");
      StringBuilder plain =
          new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      options.users.forEach(
          (user, password) ->
              plain.append(" user_").append(user).append("=\"").append(password).append('"'));
      plain.append(';');
      for (SecurityProtocol protocol :
          new SecurityProtocol[] {SecurityProtocol.SASL_PLAINTEXT, SecurityProtocol.SASL_SSL}) {
        if (listeners.containsKey(protocol)) {
          String prefix = "listener.name." + protocol.name.toLowerCase(java.util.Locale.ROOT);
          p.put(prefix + ".plain.sasl.jaas.config", plain.toString());
          p.put(
              prefix + ".scram-sha-256.sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
      }
    }
    if (options.keyStore != null) {
      p.put("ssl.keystore.type", "PKCS12");
      p.put("ssl.keystore.location", options.keyStore.toAbsolutePath().toString());
      p.put("ssl.keystore.password", options.keyStorePassword);
      p.put("ssl.key.password", options.keyStorePassword);
      p.put("ssl.client.auth", "none");
    }
    return p;
  }

  /**
   * Formats the storage the first time only. Formatting again, even with --ignore-formatted, can
   * leave a new cluster id beside the old log, which the broker then refuses to start on.
   */
  private static void format(Path dataDir, Properties props) {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return;
    }
    Path config = dataDir.resolve("fhirstream-broker.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "written by fhirstream for formatting; regenerated on each start");
    } catch (IOException e) {
      throw new PipelineException("cannot write " + config + ": " + e.getMessage());
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status =
        StorageTool.execute(
            new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
            new PrintStream(output, true, StandardCharsets.UTF_8));
    if (status != 0) {
      throw new PipelineException(
          "formatting the embedded Kafka storage in "
              + dataDir
              + " failed: "
              + output.toString(StandardCharsets.UTF_8).trim()
              + "; delete the directory to start afresh");
    }
  }

  /** Options of the broker; {@link #start()} opens the listeners they ask for. */
  public static final class Builder {
    private final Path dataDir;
    private int port;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Path keyStore;
    private String keyStorePassword;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** The PLAINTEXT port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * A SASL PLAIN user; the first opens a SASL_PLAINTEXT listener (and SASL_SSL with {@link
     * #tls}), which also accepts SCRAM-SHA-256 for users created with the Admin API.
     */
    public Builder saslUser(String name, String password) {
      if (!name.matches("[A-Za-z0-9_$.-]+") || password.contains("\"")) {
        throw new IllegalArgumentException(
            "SASL user names are letters, digits and _$.- ; passwords have no double quote");
      }
      users.put(name, password);
      return this;
    }

    /** Opens an SSL listener (and SASL_SSL with users) with this PKCS12 key store. */
    public Builder tls(Path pkcs12KeyStore, String password) {
      this.keyStore = pkcs12KeyStore;
      this.keyStorePassword = password;
      return this;
    }

    public EmbeddedKafkaBroker start() {
      return EmbeddedKafkaBroker.start(this);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new PipelineException("no free port on 127.0.0.1 for the embedded Kafka broker");
    }
  }
}

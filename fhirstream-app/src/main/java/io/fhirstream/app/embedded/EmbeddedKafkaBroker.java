package io.fhirstream.app.embedded;

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
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one) in this JVM, bound
 * to 127.0.0.1, with its log under a data directory that survives restarts. The storage is
 * formatted once; later starts reuse it, so topics, offsets and cursors persist like on any broker.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts a broker.
   *
   * @param dataDir where the log lives; created if missing
   * @param port the client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new PipelineException(
          "cannot create the embedded Kafka directory "
              + dataDir.toAbsolutePath()
              + "; check permissions or set embedded.kafka.data-dir");
    }
    int brokerPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    Properties props = properties(dataDir, brokerPort, controllerPort);
    format(dataDir, props);
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    long started = System.nanoTime();
    server.startup();
    String bootstrap = "127.0.0.1:" + brokerPort;
    LOG.info(
        "embedded Kafka broker on {} ({} ms, data in {})",
        bootstrap,
        (System.nanoTime() - started) / 1_000_000,
        dataDir);
    return new EmbeddedKafkaBroker(server, bootstrap);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Properties properties(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new PipelineException("no free port on 127.0.0.1 for the embedded Kafka broker");
    }
  }
}

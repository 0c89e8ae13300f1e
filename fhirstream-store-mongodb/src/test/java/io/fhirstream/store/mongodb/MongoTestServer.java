package io.fhirstream.store.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * mongo-java-server (an independent in-process implementation of the MongoDB wire protocol, with
 * its in-memory backend) on 127.0.0.1, started once per test JVM and shared by the test classes.
 *
 * <p>{@link #outage()} stops the server for real (every client connection is closed, the port
 * refuses connections) and starts a new one on the same port over the same data when the handle is
 * closed, as a restarted {@code mongod} would come back with its disk.
 *
 * <p>{@link #main} runs it as a process of its own for the benchmark scripts.
 */
public final class MongoTestServer {
  private static MongoTestServer shared;

  private final KeptMemoryBackend backend = new KeptMemoryBackend();
  private final int port;
  private MongoServer server;

  /** A memory backend whose data outlives a server shutdown; {@link #discard()} frees it. */
  private static final class KeptMemoryBackend extends MemoryBackend {
    @Override
    public void close() {
      // MongoServer.shutdown closes its backend, which drops every database: keep them.
    }

    void discard() {
      super.close();
    }
  }

  private MongoTestServer(int port) {
    server = new MongoServer(backend);
    server.bind("127.0.0.1", port);
    this.port = server.getLocalAddress().getPort();
  }

  /** The server shared by this JVM's tests, started on a free port at first use. */
  public static synchronized MongoTestServer shared() {
    if (shared == null) {
      shared = new MongoTestServer(0);
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "mongo-test-server-stop"));
    }
    return shared;
  }

  public int port() {
    return port;
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + port + "/";
  }

  /**
   * Settings for a database on this server, with a short server selection timeout so that a write
   * during an outage fails in a second or two rather than thirty.
   */
  public MongoStoreConfig config(String database) {
    return MongoStoreConfig.of(connectionString())
        .withDatabase(database)
        .withServerSelectionTimeout(Duration.ofMillis(1500));
  }

  /** Whether a database of this server holds any collection, asked with a client of its own. */
  public boolean holdsCollections(String database) {
    try (MongoClient client = MongoClients.create(connectionString())) {
      return client.getDatabase(database).listCollectionNames().first() != null;
    }
  }

  /** Stops the server until the handle is closed, then starts it again on the same port. */
  public synchronized AutoCloseable outage() {
    server.shutdownNow();
    return () -> {
      synchronized (MongoTestServer.this) {
        server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
      }
    };
  }

  /** Stops the server and frees its data. */
  public synchronized void stop() {
    server.shutdownNow();
    backend.discard();
  }

  /**
   * Starts the server on 127.0.0.1 (port from the first argument, else a free one), prints {@code
   * store.mongodb.connection-string=mongodb://127.0.0.1:PORT/} and runs until standard input closes
   * or the process is terminated.
   */
  public static void main(String[] args) throws IOException {
    MongoTestServer instance = new MongoTestServer(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "mongo-test-server-stop"));
    System.out.println(MongoStoreConfig.CONNECTION_STRING + "=" + instance.connectionString());
    System.out.flush();
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Runs until the launcher closes our standard input.
    }
    System.exit(0);
  }
}

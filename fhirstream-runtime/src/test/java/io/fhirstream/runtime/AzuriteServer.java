package io.fhirstream.runtime;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Azurite's Blob service (Microsoft's Azure Storage emulator, installed with npm by
 * scripts/ensure-azurite.sh) as a child process on 127.0.0.1, stopped by its pid on close. Its
 * debug log records every request with its headers, so a test can check what reached storage.
 */
final class AzuriteServer implements AutoCloseable {
  /** Azurite's well-known development account; not a secret. */
  static final String ACCOUNT = "devstoreaccount1";

  private static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;
  private final Path debugLog;

  private AzuriteServer(Process process, int port, Path debugLog) {
    this.process = process;
    this.port = port;
    this.debugLog = debugLog;
  }

  static AzuriteServer start() throws IOException, InterruptedException {
    Path home =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "FHIRSTREAM_AZURITE_HOME",
                    System.getProperty("user.home") + "/.cache/fhirstream/azurite"));
    Path main = home.resolve("node_modules/azurite/dist/src/blob/main.js");
    if (!Files.isRegularFile(main)) {
      throw new IllegalStateException(
          main + " is missing; run scripts/ensure-azurite.sh (the build runs it before the ITs)");
    }
    Path data = Files.createTempDirectory("fhirstream-azurite");
    Path debugLog = data.resolve("debug.log");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                List.of(
                    "node",
                    main.toString(),
                    "--blobHost",
                    "127.0.0.1",
                    "--blobPort",
                    Integer.toString(port),
                    "--location",
                    data.toString(),
                    "--debug",
                    debugLog.toString(),
                    "--skipApiVersionCheck",
                    "--disableProductStyleUrl"))
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("azurite.out").toFile())
            .start();
    AzuriteServer server = new AzuriteServer(process, port, debugLog);
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!server.accepting()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException(
            "Azurite did not start; see " + data.resolve("azurite.out"));
      }
      Thread.sleep(100);
    }
    return server;
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The Blob service's origin, e.g. http://127.0.0.1:10000. */
  URI origin() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A new container. */
  BlobContainerClient container(String name) {
    BlobContainerClient container =
        new BlobServiceClientBuilder()
            .connectionString(
                "DefaultEndpointsProtocol=http;AccountName="
                    + ACCOUNT
                    + ";AccountKey="
                    + KEY
                    + ";BlobEndpoint="
                    + origin()
                    + "/"
                    + ACCOUNT
                    + ";")
            .buildClient()
            .getBlobContainerClient(name);
    container.create();
    return container;
  }

  /** A SAS (its query, without '?') for the container with the given permissions, e.g. "rl". */
  static String sas(BlobContainerClient container, String permissions) {
    return container.generateSas(
        new BlobServiceSasSignatureValues(
            OffsetDateTime.now().plusHours(1), BlobContainerSasPermission.parse(permissions)));
  }

  /** Everything Azurite logged, requests with their headers among it. */
  String debugLog() throws IOException {
    return Files.exists(debugLog) ? Files.readString(debugLog) : "";
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

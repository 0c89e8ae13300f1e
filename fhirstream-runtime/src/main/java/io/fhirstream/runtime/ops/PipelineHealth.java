package io.fhirstream.runtime.ops;

import io.fhirstream.api.source.ChangeSource;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.kafka.KafkaClients;
import io.fhirstream.ops.HealthCheck.Result;
import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.config.Settings;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The health checks of one pipeline. Liveness ({@link #pipeline}) fails only when a role stopped on
 * a fatal error, which a restart may cure; readiness adds what the pipeline depends on: Kafka (a
 * cluster description), the source's origin ({@link ChangeSource#originProblem}) and the store (its
 * reader answering). Before {@link #attach} the process is starting: alive, not ready.
 *
 * <p>The endpoint runs each check on its own threads, one run at a time; the Kafka admin client and
 * the store reader are opened once and reused (a reader that failed is reopened next time).
 */
final class PipelineHealth implements AutoCloseable {
  private static final int KAFKA_TIMEOUT_MS = 5_000;

  private volatile Pipeline pipeline;
  private volatile Settings settings;
  private volatile boolean stopping;
  private Admin admin;
  private DocumentReader reader;

  void attach(Pipeline pipeline, Settings settings) {
    this.settings = settings;
    this.pipeline = pipeline;
  }

  /** The pipeline is about to close: not ready any more, and the clients are closed. */
  void detach() {
    stopping = true;
    pipeline = null;
    close();
  }

  private String notRunning() {
    return stopping ? "stopping" : "starting";
  }

  Result pipeline() {
    Pipeline current = pipeline;
    if (current == null) {
      return Result.up(notRunning());
    }
    Throwable failure = current.failure();
    // Only the type: a failure's message is in the log, and stays off an unauthenticated page.
    return failure == null
        ? Result.up()
        : Result.down("a role stopped: " + failure.getClass().getSimpleName() + " (see the log)");
  }

  synchronized Result kafka() throws Exception {
    Pipeline current = pipeline;
    if (current == null) {
      return Result.down(notRunning());
    }
    if (admin == null) {
      admin = KafkaClients.admin(current.hub());
    }
    int brokers =
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(KAFKA_TIMEOUT_MS))
            .nodes()
            .get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .size();
    return Result.up(brokers + (brokers == 1 ? " broker" : " brokers"));
  }

  Result source() {
    Pipeline current = pipeline;
    if (current == null || current.source() == null) {
      return Result.down(notRunning());
    }
    Optional<String> problem = current.source().originProblem();
    return problem.map(Result::down).orElseGet(Result::up);
  }

  synchronized Result store() {
    Settings current = settings;
    if (pipeline == null || current == null || current.storeConfig() == null) {
      return Result.down(notRunning());
    }
    try {
      if (reader == null) {
        reader = current.storeFactory().createReader(current.storeConfig());
      }
      int types = reader.resourceTypes().size();
      return Result.up(current.storeFactory().name() + ", " + types + " resource types");
    } catch (RuntimeException e) {
      closeReader();
      return Result.down(
          current.storeFactory().name() + " unreachable (" + e.getClass().getSimpleName() + ")");
    }
  }

  private void closeReader() {
    if (reader != null) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        // reopened at the next check
      }
      reader = null;
    }
  }

  @Override
  public synchronized void close() {
    closeReader();
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(1));
      admin = null;
    }
  }
}

package io.fhirstream.cli;

import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.fhirstream.runtime.ops.OperatorRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the pipeline against a configured FHIR server and Kafka until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline against an external FHIR server and Kafka (kafka.bootstrap.servers, or"
          + " embedded.kafka.enabled=true for a broker in this process) until stopped with Ctrl-C"
          + " or SIGTERM. Serves the operator endpoint (metrics, health probes, dashboard) on"
          + " ops.bind-address:ops.port."
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** How long a stop request waits for the pipeline to close before the JVM exits anyway. */
  private static final long CLOSE_WAIT_SECONDS = 60;

  @Mixin ConfigOptions config;

  @Option(
      names = "--roles",
      split = ",",
      paramLabel = "ROLE",
      description =
          "Which parts to run: source, sink and/or analytics (default: ${DEFAULT-VALUE}).",
      defaultValue = "source,sink",
      converter = RoleConverter.class)
  Set<Role> roles = EnumSet.of(Role.SOURCE, Role.SINK);

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = Settings.parse(config.raw(Map.of()), roles);
    PrometheusMeterRegistry metrics = OperatorRuntime.newRegistry();
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // The JVM exits once its shutdown hooks return: this one holds it until the pipeline closed.
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                closed.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "fhirstream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (OperatorRuntime ops = OperatorRuntime.start(settings, roles, metrics);
        Pipeline pipeline = Pipeline.start(settings, roles, metrics)) {
      ops.attach(pipeline);
      try {
        Progress progress = new Progress(metrics, pipeline, line -> LOG.info("progress: {}", line));
        while (!stopRequested.await(progress.interval().toMillis(), TimeUnit.MILLISECONDS)) {
          pipeline.checkHealthy();
          progress.print();
        }
        LOG.info("stopping: {}", roles);
      } finally {
        ops.detach();
      }
    } finally {
      if (stopRequested.getCount() == 0) {
        LOG.info("stopped");
      }
      closed.countDown();
      removeHook(hook);
    }
    return 0;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running and returns now that closed is counted down
    }
  }

  /** Parses role names case-insensitively, with a helpful error. */
  static final class RoleConverter implements picocli.CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      try {
        return Role.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a role; use source, sink, analytics or a list of them");
      }
    }
  }
}

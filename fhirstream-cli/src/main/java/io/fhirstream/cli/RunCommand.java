package io.fhirstream.cli;

import io.fhirstream.runtime.Pipeline;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the pipeline against a configured FHIR server and Kafka until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline against an external FHIR server and Kafka (or the embedded broker when"
          + " kafka.bootstrap.servers is unset) until stopped with Ctrl-C or SIGTERM."
    })
public final class RunCommand implements Callable<Integer> {
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
    Settings settings = Settings.parse(config.raw(Map.of()));
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    CountDownLatch stopped = new CountDownLatch(1);
    try (Pipeline pipeline = Pipeline.start(settings, roles, metrics)) {
      Thread hook = new Thread(stopped::countDown, "fhirstream-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      Progress progress = new Progress(metrics, pipeline, System.err, false);
      while (!stopped.await(
          progress.interval().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        pipeline.checkHealthy();
        progress.print();
      }
    }
    return 0;
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

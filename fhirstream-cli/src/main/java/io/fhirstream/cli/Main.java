package io.fhirstream.cli;

import io.fhirstream.api.PipelineException;
import io.fhirstream.api.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point. Bad configuration exits 2, a pipeline failure 1, both with one clear line. */
@Command(
    name = "fhirstream",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Streams FHIR R4 changes through Kafka into document stores, with nothing lost.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      AnalyticsCommand.class,
      SubscribeCommand.class,
      BenchCommand.class,
      BrokerCommand.class,
      FhirServerCommand.class,
      ConfigReferenceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (for tests). */
  public static int execute(String... args) {
    return execute(new CommandLine(new Main()), args);
  }

  /** Runs the CLI with its own output and error writers (for tests). */
  public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    return execute(cli, args);
  }

  private static int execute(CommandLine cli, String... args) {
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            commandLine.getErr().println("fhirstream: configuration error: " + e.getMessage());
            return 2;
          }
          if (e instanceof PipelineException) {
            commandLine.getErr().println("fhirstream: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fhirstream " + (version == null ? "(development build)" : version)};
    }
  }
}

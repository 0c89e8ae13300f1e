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
      MetricsReferenceCommand.class,
      StatusCommand.class,
      ReconcileCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** A setting or an option is wrong: nothing was started. */
  static final int EXIT_CONFIGURATION = 2;

  /** Something failed while running: the message says what. */
  static final int EXIT_FAILURE = 1;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Main.class);

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
    cli.setParameterExceptionHandler(Main::badOption);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine));
    return cli.execute(args);
  }

  /**
   * A bad option or argument: one line naming it and where help is, exit 2 (like a bad setting).
   */
  private static int badOption(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command
        .getErr()
        .println(
            "fhirstream: "
                + e.getMessage()
                + " (see: fhirstream "
                + (command.getCommandName().equals("fhirstream")
                    ? ""
                    : command.getCommandName() + " ")
                + "--help)");
    return EXIT_CONFIGURATION;
  }

  /**
   * Every failure ends in one line, never a stack trace: a configuration error lists each problem
   * (exit 2), anything else says what failed (exit 1). The trace goes to the log at debug level.
   */
  static int failed(Exception e, CommandLine commandLine) {
    java.io.PrintWriter err = commandLine.getErr();
    if (e instanceof ConfigException config) {
      for (ConfigException problem : config.problems()) {
        err.println("fhirstream: configuration error: " + problem.getMessage());
      }
      return EXIT_CONFIGURATION;
    }
    if (e instanceof CommandLine.ParameterException parameter) {
      return badOption(parameter, new String[0]);
    }
    LOG.debug("failure", e);
    err.println("fhirstream: " + oneLine(e));
    return EXIT_FAILURE;
  }

  /** The message of a failure on one line; for an exception we did not word, with its type. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (e instanceof PipelineException || e instanceof CommandFailedException) {
      return message.replace('\n', ' ');
    }
    if (message == null) {
      return "unexpected failure ("
          + e.getClass().getSimpleName()
          + "); FHIRSTREAM_LOG_LEVEL=DEBUG logs its stack trace";
    }
    String text =
        e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException
            ? message
            : e.getClass().getSimpleName() + ": " + message;
    return text.replace('\n', ' ');
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

package io.fhirstream.cli;

import io.fhirstream.analytics.AnalyticsDefinitions;
import io.fhirstream.analytics.verify.Reconciliation;
import io.fhirstream.api.results.ResultReader;
import io.fhirstream.api.store.DocumentReader;
import io.fhirstream.runtime.Role;
import io.fhirstream.runtime.config.Settings;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The analytics role's tools. */
@Command(
    name = "analytics",
    mixinStandardHelpOptions = true,
    description =
        "The analytics role's tools (run the role itself with run --roles ...,analytics).",
    subcommands = {AnalyticsCommand.Verify.class, CommandLine.HelpCommand.class})
public final class AnalyticsCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Recomputes every aggregate and view from the store and compares with the role's results. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recomputes every aggregate and view in memory from the resources the store holds, with"
            + " the same definitions and code as the analytics role, and compares them with the"
            + " results the role wrote. Exits 0 when they are equal, 1 otherwise. Run it once the"
            + " sink and the analytics role have caught up with the hub."
      })
  public static final class Verify implements Callable<Integer> {
    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
      Settings settings = Settings.parse(config.raw(Map.of()), EnumSet.of(Role.ANALYTICS));
      AnalyticsDefinitions definitions = settings.analytics().loadDefinitions();
      Reconciliation.Report report;
      try (DocumentReader documents = settings.storeFactory().createReader(settings.storeConfig());
          ResultReader results =
              settings.storeFactory().createResultReader(settings.storeConfig())) {
        report = Reconciliation.run(definitions, documents, results);
      }
      return print(report, System.out);
    }
  }

  /** Prints a report; returns the exit code (0 when consistent). */
  static int print(Reconciliation.Report report, PrintStream out) {
    if (report.consistent()) {
      out.printf(
          "analytics: OK: %,d results of %d aggregates and %,d rows of %d views equal a"
              + " recomputation from the store%s%n",
          report.results(),
          report.aggregates(),
          report.rows(),
          report.views(),
          report.skipped() == 0
              ? ""
              : String.format(
                  " (%,d resources the views cannot read left out, as the role does)",
                  report.skipped()));
      return 0;
    }
    out.printf(
        "analytics: FAILED: %,d differences between the results and a recomputation from the"
            + " store%n",
        report.differenceCount());
    report.differences().forEach(d -> out.println("  " + d));
    return 1;
  }
}

package io.fhirstream.cli;

import io.fhirstream.api.metrics.Meters;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Renders the metrics reference from the meters' declarations, so it is never hand-maintained. */
@Command(
    name = "metrics-reference",
    mixinStandardHelpOptions = true,
    description =
        "Prints the metrics reference (Markdown), generated from the meters' declarations.")
public final class MetricsReferenceCommand implements Callable<Integer> {
  @Option(names = "--output", paramLabel = "FILE", description = "Write to a file instead.")
  Path output;

  @Override
  public Integer call() {
    String text = Meters.reference();
    if (output == null) {
      System.out.print(text);
    } else {
      ConfigReferenceCommand.write(output, text);
    }
    return 0;
  }
}

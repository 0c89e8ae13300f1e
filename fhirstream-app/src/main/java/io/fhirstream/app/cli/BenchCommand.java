package io.fhirstream.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below once the demo server lands. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark.")
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}

package io.fhirstream.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below once the demo server lands. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Demo.")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}

package io.fhirstream.cli;

import io.fhirstream.runtime.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The embedded Kafka broker on its own, as a process other instances (or tests) connect to. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the embedded single-node Kafka broker (KRaft, 127.0.0.1) until stopped. For trying"
          + " several fhirstream instances on one machine, and for the fault harness."
    })
public final class BrokerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "0",
      description =
          "Client port on 127.0.0.1; 0 (the default) picks a free one, printed as 'ready"
              + " 127.0.0.1:PORT'.")
  int port;

  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "fhirstream-data/kafka",
      description = "Log directory; kept across restarts (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    OptionChecks.port(spec, "--port", port);
    OptionChecks.portFree("--port", port);
    CountDownLatch stopped = new CountDownLatch(1);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "broker-shutdown"));
      System.out.println("ready " + broker.bootstrapServers());
      System.out.flush();
      stopped.await();
    }
    return 0;
  }
}

package io.fhirstream.app.cli;

import io.fhirstream.app.demo.fhir.DemoFhirServer;
import io.fhirstream.app.demo.patients.SyntheticPatients;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The demo FHIR server on its own, for trying `run` against it or for the fault harness. */
@Command(
    name = "demo-fhir-server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the in-memory demo FHIR R4 server on 127.0.0.1 until stopped, optionally seeded with"
          + " synthetic patients. Its data lives in memory only."
    })
public final class FhirServerCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--types",
      split = ",",
      defaultValue = "Patient",
      description = "Resource types served (default: ${DEFAULT-VALUE}).")
  List<String> types;

  @Option(
      names = "--patients",
      defaultValue = "0",
      description = "Synthetic patients to seed (default: ${DEFAULT-VALUE}).")
  int patients;

  @Override
  public Integer call() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes(types).port(port).build().start()) {
      SyntheticPatients generator = new SyntheticPatients(42);
      for (int i = 0; i < patients; i++) {
        server.store().create(generator.next());
      }
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "fhir-shutdown"));
      System.out.println("ready " + server.baseUrl());
      System.out.flush();
      stopped.await();
    }
    return 0;
  }
}

package io.fhirstream.cli;

import io.fhirstream.demo.fhir.DemoFhirServer;
import io.fhirstream.demo.fhir.TokenRequirements;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The demo FHIR server on its own, for trying `run` against it or for the fault harness. */
@Command(
    name = "demo-fhir-server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the in-memory demo FHIR R4 server on 127.0.0.1 until stopped, optionally seeded with"
          + " synthetic patients. Its data lives in memory only."
    })
public final class FhirServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "0",
      description =
          "Port on 127.0.0.1; 0 (the default) picks a free one, printed as 'ready"
              + " http://127.0.0.1:PORT/fhir'.")
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

  @Option(
      names = "--token-issuer",
      description =
          "Protect the server: accept only bearer tokens (JWT) with this iss, signed by a key of"
              + " --token-jwks-url; anything else gets 401. Default: open.")
  String tokenIssuer;

  @Option(
      names = "--token-jwks-url",
      description = "The issuer's JWK set (default: {issuer}/jwks).")
  URI tokenJwksUrl;

  @Option(
      names = "--token-audience",
      description = "A value the token's aud must contain (default: the server's base URL).")
  String tokenAudience;

  @Option(
      names = "--token-endpoint",
      description =
          "Advertised as token_endpoint in {base}/.well-known/smart-configuration, for clients"
              + " that discover it.")
  URI tokenEndpoint;

  @Override
  public Integer call() throws InterruptedException {
    OptionChecks.port(spec, "--port", port);
    OptionChecks.atLeast(spec, "--patients", patients, 0);
    CountDownLatch stopped = new CountDownLatch(1);
    DemoFhirServer.Builder builder = DemoFhirServer.builder().resourceTypes(types).port(port);
    if (tokenIssuer != null && tokenAudience == null && port == 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--token-audience is needed with --port 0, the default (the default audience is the"
              + " base URL, known only once a port is chosen): give --token-audience or --port");
    }
    if (tokenIssuer != null) {
      String issuer =
          tokenIssuer.endsWith("/")
              ? tokenIssuer.substring(0, tokenIssuer.length() - 1)
              : tokenIssuer;
      builder.requireTokens(
          new TokenRequirements(
              tokenJwksUrl != null ? tokenJwksUrl : URI.create(issuer + "/jwks"),
              tokenIssuer,
              tokenAudience != null
                  ? tokenAudience
                  : "http://127.0.0.1:" + port + DemoFhirServer.CONTEXT_PATH,
              Optional.ofNullable(tokenEndpoint)));
    } else if (tokenJwksUrl != null || tokenAudience != null || tokenEndpoint != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--token-jwks-url, --token-audience and --token-endpoint need --token-issuer");
    }
    OptionChecks.portFree("--port", port);
    try (DemoFhirServer server = builder.build().start()) {
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

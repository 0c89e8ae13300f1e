package io.fhirstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.demo.fhir.DemoFhirServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;

/** `fhirstream subscribe` against the demo FHIR server over HTTP. */
class SubscribeCommandIT {
  private static final String SECRET = "subscribe-it-secret-42";

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome subscribe(String... settings) {
    List<String> args = new ArrayList<>(List.of("subscribe"));
    for (String setting : settings) {
      args.add("--set");
      args.add(setting);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void createsOneSubscriptionPerTypeThenLeavesThemAloneAndNeverPrintsTheSecret() {
    try (DemoFhirServer server =
        DemoFhirServer.builder().resourceTypes("Patient", "Observation").build().start()) {
      String[] settings = {
        "source.fhir.base-url=" + server.baseUrl(),
        "source.resource-types=Patient,Observation",
        "source.push.secret=" + SECRET,
        "source.push.public-url=http://127.0.0.1:9/fhir-notify"
      };

      Outcome first = subscribe(settings);
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out())
          .contains("Patient: created Subscription/")
          .contains("Observation: created Subscription/")
          .contains("http://127.0.0.1:9/fhir-notify")
          .doesNotContain(SECRET);

      Outcome again = subscribe(settings);
      assertThat(again.out()).contains("Patient: unchanged").contains("Observation: unchanged");

      Outcome moved =
          subscribe(
              settings[0],
              settings[1],
              settings[2],
              "source.push.public-url=http://127.0.0.1:10/fhir-notify");
      assertThat(moved.out()).contains("Patient: updated").contains("Observation: updated");

      Bundle all =
          FhirContext.forR4Cached()
              .newRestfulGenericClient(server.baseUrl())
              .search()
              .forResource(Subscription.class)
              .returnBundle(Bundle.class)
              .execute();
      assertThat(all.getEntry()).hasSize(2);
      assertThat(all.getEntry())
          .allSatisfy(
              e ->
                  assertThat(((Subscription) e.getResource()).getChannel().getEndpoint())
                      .isEqualTo("http://127.0.0.1:10/fhir-notify"));
    }
  }

  @Test
  void withoutASecretItStopsNamingTheKey() {
    Outcome outcome =
        subscribe(
            "source.fhir.base-url=http://127.0.0.1:1/fhir", "source.push.public-url=http://x/h");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("source.push.secret");
  }
}

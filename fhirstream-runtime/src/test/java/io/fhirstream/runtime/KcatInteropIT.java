package io.fhirstream.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real external Kafka client, kcat, reads what fhirstream publishes: the FHIR JSON as the server
 * sent it, and the CloudEvents headers. (scripts/ensure-kcat.sh installs kcat before this runs.)
 */
class KcatInteropIT {
  @TempDir Path dir;

  private static boolean kcatInstalled() {
    try {
      return new ProcessBuilder("kcat", "-V").start().waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void kcatSeesFhirJsonAndCloudEventsHeaders() throws Exception {
    boolean installed = kcatInstalled();
    if (System.getenv("CI") != null) {
      assertThat(installed).as("kcat must be installed in CI (scripts/ensure-kcat.sh)").isTrue();
    }
    assumeTrue(installed, "kcat is not installed; run scripts/ensure-kcat.sh as root");
    try (PipelineFixture fixture = new PipelineFixture(dir);
        Pipeline pipeline = fixture.start()) {
      String id = fixture.workload.create();
      fixture.workload.update();
      fixture.assertStoreEqualsServer(pipeline, fixture.database);

      Process kcat =
          new ProcessBuilder(
                  "kcat",
                  "-C",
                  "-q",
                  "-e",
                  "-o",
                  "beginning",
                  "-b",
                  pipeline.hub().client().get("bootstrap.servers"),
                  "-t",
                  fixture.topic(),
                  "-f",
                  "KEY=%k\\nHEADERS=%h\\nVALUE=%s\\n--\\n")
              .redirectErrorStream(true)
              .start();
      assertThat(kcat.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kcat.exitValue()).as(output).isZero();

      assertThat(output).contains("KEY=" + id);
      assertThat(output)
          .contains("ce_specversion=1.0")
          .contains("ce_id=Patient/" + id + "/_history/1")
          .contains("ce_source=" + fixture.server.baseUrl())
          .contains("ce_type=org.hl7.fhir.resource.upserted")
          .contains("content-type=application/fhir+json")
          .contains("ce_time=");
      assertThat(output).contains("VALUE={\"resourceType\":\"Patient\",\"id\":\"" + id + "\"");
    }
  }
}

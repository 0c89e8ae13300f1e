package io.fhirstream.app.demo.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.app.demo.patients.SyntheticPatients;
import java.util.BitSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthetic patients seeded through the store, then the whole type history read over HTTP with
 * {@code _count=1000}, the way change capture reads it. Logs the rates (counts and timings only, no
 * patient data).
 *
 * <p>30,000 patients by default, so the suite stays around a minute on a 2-core machine; run the
 * benchmark's scale with {@code -Ddemo.throughput.patients=100000}.
 */
class DemoFhirServerThroughputIT {
  private static final Logger log = LoggerFactory.getLogger(DemoFhirServerThroughputIT.class);
  private static final int PATIENTS = Integer.getInteger("demo.throughput.patients", 10_000);

  @Test
  void servesTheFullHistoryOfManyVersionsPageByPage() throws Exception {
    try (DemoFhirServer server = DemoFhirServer.builder().resourceTypes("Patient").build()) {
      SyntheticPatients generator = new SyntheticPatients(2024);
      long storeNanos = 0;
      for (int i = 0; i < PATIENTS; i++) {
        Patient patient = generator.next();
        long start = System.nanoTime();
        server.store().create(patient);
        storeNanos += System.nanoTime() - start; // the store's time only, not the generator's
      }
      double seedSeconds = storeNanos / 1e9;
      assertThat(server.store().countVersions("Patient")).isEqualTo(PATIENTS);

      server.start();
      IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(server.baseUrl());
      long readStart = System.nanoTime();
      Bundle page =
          client.history().onType(Patient.class).returnBundle(Bundle.class).count(1000).execute();
      BitSet seen = new BitSet(PATIENTS + 1);
      long previousMillis = Long.MAX_VALUE;
      int entries = 0;
      int pages = 0;
      while (true) {
        pages++;
        assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(1000);
        for (BundleEntryComponent entry : page.getEntry()) {
          int id = Integer.parseInt(entry.getResource().getIdElement().getIdPart());
          assertThat(seen.get(id)).as("Patient/%d seen twice", id).isFalse();
          seen.set(id);
          long millis = entry.getResource().getMeta().getLastUpdated().getTime();
          assertThat(millis).isLessThanOrEqualTo(previousMillis);
          previousMillis = millis;
          entries++;
        }
        if (page.getLink(Bundle.LINK_NEXT) == null) {
          break;
        }
        page = client.loadPage().next(page).execute();
      }
      double readSeconds = (System.nanoTime() - readStart) / 1e9;

      assertThat(entries).isEqualTo(PATIENTS);
      assertThat(seen.cardinality()).isEqualTo(PATIENTS);
      assertThat(pages).isEqualTo((PATIENTS + 999) / 1000);
      log.info(
          "Seeded {} patients via the store in {} s of store time ({} writes/s); read {} history"
              + " entries over HTTP in {} pages in {} s ({} entries/s)",
          PATIENTS,
          String.format("%.1f", seedSeconds),
          Math.round(PATIENTS / seedSeconds),
          entries,
          pages,
          String.format("%.1f", readSeconds),
          Math.round(entries / readSeconds));
    }
  }
}

package io.fhirstream.fault;

import ca.uhn.fhir.context.FhirContext;
import io.fhirstream.demo.workload.Workload;
import java.time.LocalDate;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The shared workload over the FHIR REST API, every patient it writes carrying canary PHI (a unique
 * family name, identifier and birth date) that must never appear in a log, a metric or a
 * dead-letter reason.
 */
final class CanaryWorkload {
  private final Workload workload;
  private final Random random;
  private final Set<String> canaries = ConcurrentHashMap.newKeySet();
  private long changes;

  CanaryWorkload(String fhirBaseUrl, long seed) {
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setSocketTimeout(120_000);
    this.random = new Random(seed);
    this.workload =
        Workload.builder()
            .client(fhir.newRestfulGenericClient(fhirBaseUrl))
            .seed(seed)
            .mix(Workload.Mix.FAULTS)
            .beforeWrite(this::plant)
            .build();
  }

  /** The canary strings planted so far. */
  Set<String> canaries() {
    return canaries;
  }

  long changes() {
    return changes;
  }

  void randomChange() {
    workload.randomChange();
    changes++;
  }

  private void plant(Resource resource) {
    if (!(resource instanceof Patient patient)) {
      return;
    }
    String token = Long.toString(Math.abs(random.nextLong()), 36);
    String family = "Qzcanary" + token;
    String identifier = "CNRY-" + token;
    LocalDate birth = LocalDate.of(1900, 1, 1).plusDays(random.nextInt(30 * 365));
    patient.getNameFirstRep().setFamily(family);
    patient.getIdentifier().clear();
    patient.addIdentifier(new Identifier().setSystem("urn:fhirstream:canary").setValue(identifier));
    patient.setBirthDateElement(new DateType(birth.toString()));
    patient.setGender(Enumerations.AdministrativeGender.UNKNOWN);
    canaries.add(family);
    canaries.add(identifier);
    canaries.add(birth.toString());
  }
}

package io.fhirstream.fault;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * Creates, updates (several per patient), deletes and re-creates patients over the FHIR REST API.
 * Every patient carries canary PHI (a unique family name, identifier and birth date) that must
 * never appear in a log, a metric or a dead-letter reason.
 */
final class CanaryWorkload {
  private final IGenericClient client;
  private final SyntheticPatients patients;
  private final Random random;
  private final Map<String, Patient> live = new HashMap<>();
  private final List<String> liveIds = new ArrayList<>();
  private final List<String> deletedIds = new ArrayList<>();
  private final Set<String> canaries = ConcurrentHashMap.newKeySet();
  private long changes;

  CanaryWorkload(String fhirBaseUrl, long seed) {
    FhirContext fhir = FhirContext.forR4Cached();
    fhir.getRestfulClientFactory().setSocketTimeout(120_000);
    this.client = fhir.newRestfulGenericClient(fhirBaseUrl);
    this.patients = new SyntheticPatients(seed);
    this.random = new Random(seed);
  }

  /** The canary strings planted so far. */
  Set<String> canaries() {
    return canaries;
  }

  long changes() {
    return changes;
  }

  void randomChange() {
    int roll = random.nextInt(100);
    if (liveIds.size() < 20 || roll < 25) {
      create(null);
    } else if (roll < 80) {
      update();
    } else if (roll < 95 || deletedIds.isEmpty()) {
      delete();
    } else {
      create(deletedIds.remove(random.nextInt(deletedIds.size())));
    }
    changes++;
  }

  private void create(String reuseId) {
    Patient patient = canary(patients.next());
    String id;
    if (reuseId == null) {
      id = client.create().resource(patient).execute().getId().getIdPart();
    } else {
      patient.setId(reuseId);
      client.update().resource(patient).execute();
      id = reuseId;
    }
    patient.setId(id);
    live.put(id, patient);
    liveIds.add(id);
  }

  private void update() {
    String id = liveIds.get(random.nextInt(liveIds.size()));
    Patient changed = canary(patients.mutate(live.get(id)));
    changed.setId(id);
    client.update().resource(changed).execute();
    live.put(id, changed);
  }

  private void delete() {
    String id = liveIds.remove(random.nextInt(liveIds.size()));
    live.remove(id);
    client.delete().resourceById("Patient", id).execute();
    deletedIds.add(id);
  }

  private Patient canary(Patient patient) {
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
    return patient;
  }
}

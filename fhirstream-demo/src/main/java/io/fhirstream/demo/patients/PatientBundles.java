package io.fhirstream.demo.patients;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Transaction Bundles shaped like Synthea's: one per patient, holding the patient and its record
 * (encounters, each with observations and sometimes a diagnosis), every entry a POST and every
 * reference a {@code urn:uuid}, so each bundle loads on its own. A FHIR server stamps all the
 * resources of one transaction with one {@code lastUpdated}, as it does a Synthea bundle: what a
 * first load meets on a server loaded that way.
 *
 * <p>Built from {@link SyntheticPatients} and {@link SyntheticRecords}; reproducible for a seed.
 * Observations outnumber everything else, as in Synthea's output. Not thread-safe.
 */
public final class PatientBundles {
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final SyntheticPatients patients;
  private final SyntheticRecords records;
  private final Random random;
  private final int encounters;
  private final int observationsPerEncounter;
  private final IParser json = FHIR.newJsonParser();

  /**
   * @param encounters encounters per patient
   * @param observationsPerEncounter observations per encounter; one encounter in three also has a
   *     condition
   */
  public PatientBundles(long seed, int encounters, int observationsPerEncounter) {
    if (encounters < 0 || observationsPerEncounter < 0) {
      throw new IllegalArgumentException("encounters and observations must not be negative");
    }
    this.patients = new SyntheticPatients(seed);
    this.records = new SyntheticRecords(seed + 1);
    this.random = new Random(seed + 2);
    this.encounters = encounters;
    this.observationsPerEncounter = observationsPerEncounter;
  }

  /** The next patient's transaction Bundle, as JSON. */
  public byte[] next() {
    Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
    Patient patient = patients.next();
    String patientUrl = add(bundle, patient);
    for (int e = 0; e < encounters; e++) {
      Encounter encounter = records.encounter("placeholder");
      encounter.setSubject(new Reference(patientUrl));
      String encounterUrl = add(bundle, encounter);
      for (int o = 0; o < observationsPerEncounter; o++) {
        Observation observation = records.observation("placeholder", "placeholder");
        observation.setSubject(new Reference(patientUrl));
        observation.setEncounter(new Reference(encounterUrl));
        add(bundle, observation);
      }
      if (random.nextInt(3) == 0) {
        Condition condition = records.condition("placeholder", "placeholder");
        condition.setSubject(new Reference(patientUrl));
        condition.setEncounter(new Reference(encounterUrl));
        add(bundle, condition);
      }
    }
    return json.encodeResourceToString(bundle).getBytes(StandardCharsets.UTF_8);
  }

  /** Adds a POST entry with a fresh {@code urn:uuid} full URL; returns that URL. */
  private String add(Bundle bundle, Resource resource) {
    String fullUrl = "urn:uuid:" + new UUID(random.nextLong(), random.nextLong());
    bundle
        .addEntry()
        .setFullUrl(fullUrl)
        .setResource(resource)
        .getRequest()
        .setMethod(HTTPVerb.POST)
        .setUrl(resource.fhirType());
    return fullUrl;
  }
}

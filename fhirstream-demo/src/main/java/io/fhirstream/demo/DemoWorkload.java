package io.fhirstream.demo;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.fhirstream.demo.patients.SyntheticPatients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.hl7.fhir.r4.model.Patient;

/**
 * Random changes to patients over the FHIR REST API, as a real client would make them: creates,
 * updates (several per patient over time), deletes and re-creates of deleted ids.
 */
public final class DemoWorkload {
  private final IGenericClient client;
  private final SyntheticPatients patients;
  private final Random random;
  private final Map<String, Patient> live = new HashMap<>();
  private final List<String> liveIds = new ArrayList<>();
  private final List<String> deletedIds = new ArrayList<>();
  private long creates;
  private long updates;
  private long deletes;
  private long recreates;

  public DemoWorkload(IGenericClient client, SyntheticPatients patients, long seed) {
    this.client = client;
    this.patients = patients;
    this.random = new Random(seed);
  }

  /** Creates a patient over HTTP. */
  public String create() {
    Patient patient = patients.next();
    String id = client.create().resource(patient).execute().getId().getIdPart();
    patient.setId(id);
    remember(id, patient);
    creates++;
    return id;
  }

  /** Updates a random live patient. */
  public void update() {
    if (liveIds.isEmpty()) {
      create();
      return;
    }
    String id = liveIds.get(random.nextInt(liveIds.size()));
    Patient changed = patients.mutate(live.get(id));
    changed.setId(id);
    client.update().resource(changed).execute();
    live.put(id, changed);
    updates++;
  }

  /** Deletes a random live patient. */
  public void delete() {
    if (liveIds.isEmpty()) {
      return;
    }
    String id = liveIds.remove(random.nextInt(liveIds.size()));
    live.remove(id);
    client.delete().resourceById("Patient", id).execute();
    deletedIds.add(id);
    deletes++;
  }

  /** Re-creates a deleted id with a new patient (update-as-create). */
  public void recreate() {
    if (deletedIds.isEmpty()) {
      update();
      return;
    }
    String id = deletedIds.remove(random.nextInt(deletedIds.size()));
    Patient patient = patients.next();
    patient.setId(id);
    client.update().resource(patient).execute();
    remember(id, patient);
    recreates++;
  }

  /** One random change: mostly updates, some creates and deletes, a few re-creates. */
  public void randomChange() {
    int roll = random.nextInt(100);
    if (roll < 50) {
      update();
    } else if (roll < 75) {
      create();
    } else if (roll < 93) {
      delete();
    } else {
      recreate();
    }
  }

  private void remember(String id, Patient patient) {
    live.put(id, patient);
    liveIds.add(id);
  }

  /** What was done, for the summary. */
  public String summary() {
    return String.format(
        "%,d creates, %,d updates, %,d deletes, %,d re-creates",
        creates, updates, deletes, recreates);
  }

  public long changes() {
    return creates + updates + deletes + recreates;
  }
}

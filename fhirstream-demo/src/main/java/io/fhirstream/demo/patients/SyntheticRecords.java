package io.fhirstream.demo.patients;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Generates the clinical part of a synthetic patient record, shaped like Synthea's output:
 * Encounters (v3 ActCode class, SNOMED CT type), Observations (LOINC vital signs and laboratory
 * results in UCUM units) and Conditions (SNOMED CT), each referring to its patient by {@code
 * subject} and, where it has one, to its encounter. Reproducible: the same seed and calls give the
 * same resources. {@link #mutate} produces the updates a clinical system sends: an encounter that
 * ends, a result made final or amended, a condition that resolves or recurs.
 *
 * <p>Not thread-safe: use one generator per thread.
 */
public final class SyntheticRecords {
  /** The types of a record, patients first: what the demo can seed and change. */
  public static final List<String> TYPES =
      List.of("Patient", "Encounter", "Observation", "Condition");

  static final String SNOMED = "http://snomed.info/sct";
  static final String LOINC = "http://loinc.org";
  private static final String UCUM = "http://unitsofmeasure.org";
  private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  private static final String OBSERVATION_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/observation-category";
  private static final String CONDITION_CLINICAL =
      "http://terminology.hl7.org/CodeSystem/condition-clinical";
  private static final String CONDITION_VERIFICATION =
      "http://terminology.hl7.org/CodeSystem/condition-ver-status";
  private static final String CONDITION_CATEGORY =
      "http://terminology.hl7.org/CodeSystem/condition-category";
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneOffset.UTC);
  private static final Instant EARLIEST = Instant.parse("2015-01-01T00:00:00Z");
  private static final long SPAN_SECONDS = 10L * 365 * 24 * 3600;

  private record Code(String code, String display) {}

  private record Measure(
      String loinc, String display, String category, String unit, double low, double high) {}

  private static final List<Code> ENCOUNTER_TYPES =
      List.of(
          new Code("185349003", "Encounter for check up (procedure)"),
          new Code("162673000", "General examination of patient (procedure)"),
          new Code("185345009", "Encounter for symptom (procedure)"),
          new Code("50849002", "Emergency room admission (procedure)"),
          new Code("183452005", "Emergency hospital admission (procedure)"));

  private static final List<Measure> MEASURES =
      List.of(
          new Measure("8302-2", "Body Height", "vital-signs", "cm", 150, 195),
          new Measure("29463-7", "Body Weight", "vital-signs", "kg", 45, 120),
          new Measure("39156-5", "Body mass index (BMI) [Ratio]", "vital-signs", "kg/m2", 18, 35),
          new Measure("8867-4", "Heart rate", "vital-signs", "/min", 55, 100),
          new Measure("9279-1", "Respiratory rate", "vital-signs", "/min", 12, 20),
          new Measure("8310-5", "Body temperature", "vital-signs", "Cel", 36.1, 37.8),
          new Measure("2339-0", "Glucose [Mass/volume] in Blood", "laboratory", "mg/dL", 70, 140),
          new Measure(
              "2093-3",
              "Cholesterol [Mass/volume] in Serum or Plasma",
              "laboratory",
              "mg/dL",
              150,
              260),
          new Measure(
              "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "laboratory", "%", 4.5, 8.5));

  private static final List<Code> CONDITIONS =
      List.of(
          new Code("44054006", "Diabetes mellitus type 2 (disorder)"),
          new Code("38341003", "Hypertensive disorder, systemic arterial (disorder)"),
          new Code("195662009", "Acute viral pharyngitis (disorder)"),
          new Code("10509002", "Acute bronchitis (disorder)"),
          new Code("40055000", "Chronic sinusitis (disorder)"),
          new Code("15777000", "Prediabetes (finding)"),
          new Code("444814009", "Viral sinusitis (disorder)"));

  private final Random random;

  /** A generator whose output is determined by {@code seed}. */
  public SyntheticRecords(long seed) {
    this.random = new Random(seed);
  }

  /** A new encounter of the patient, without id or meta; one in five is still in progress. */
  public Encounter encounter(String patientId) {
    Code type = pick(ENCOUNTER_TYPES);
    boolean emergency = type.code().equals("50849002") || type.code().equals("183452005");
    Encounter encounter = new Encounter();
    encounter.setStatus(
        random.nextInt(5) == 0
            ? Encounter.EncounterStatus.INPROGRESS
            : Encounter.EncounterStatus.FINISHED);
    encounter.setClass_(
        new Coding(ACT_CODE, emergency ? "EMER" : "AMB", emergency ? "emergency" : "ambulatory"));
    encounter.addType(concept(SNOMED, type));
    encounter.setSubject(patient(patientId));
    Instant start = moment();
    Period period = new Period().setStartElement(dateTime(start));
    if (encounter.getStatus() == Encounter.EncounterStatus.FINISHED) {
      period.setEndElement(dateTime(start.plusSeconds(900 + random.nextInt(3 * 3600))));
    }
    return encounter.setPeriod(period);
  }

  /**
   * A new vital sign or laboratory result of the patient, without id or meta.
   *
   * @param encounterId the encounter it was taken in, or null
   */
  public Observation observation(String patientId, String encounterId) {
    Measure measure = pick(MEASURES);
    Observation observation = new Observation();
    observation.setStatus(
        random.nextInt(10) == 0
            ? Observation.ObservationStatus.PRELIMINARY
            : Observation.ObservationStatus.FINAL);
    observation
        .addCategory()
        .addCoding(new Coding(OBSERVATION_CATEGORY, measure.category(), measure.category()));
    observation.setCode(concept(LOINC, new Code(measure.loinc(), measure.display())));
    observation.setSubject(patient(patientId));
    if (encounterId != null) {
      observation.setEncounter(new Reference("Encounter/" + encounterId));
    }
    Instant taken = moment();
    observation.setEffective(dateTime(taken));
    observation.setIssuedElement(new InstantType(DATE_TIME.format(taken)));
    return observation.setValue(quantity(measure, value(measure)));
  }

  /**
   * A new diagnosis of the patient, without id or meta.
   *
   * @param encounterId the encounter it was diagnosed in, or null
   */
  public Condition condition(String patientId, String encounterId) {
    Condition condition = new Condition();
    condition.setClinicalStatus(
        concept(CONDITION_CLINICAL, new Code("active", "Active")).setText(null));
    condition.setVerificationStatus(
        concept(
                CONDITION_VERIFICATION,
                random.nextInt(4) == 0
                    ? new Code("provisional", "Provisional")
                    : new Code("confirmed", "Confirmed"))
            .setText(null));
    condition
        .addCategory()
        .addCoding(new Coding(CONDITION_CATEGORY, "encounter-diagnosis", "Encounter Diagnosis"));
    condition.setCode(concept(SNOMED, pick(CONDITIONS)));
    condition.setSubject(patient(patientId));
    if (encounterId != null) {
      condition.setEncounter(new Reference("Encounter/" + encounterId));
    }
    Instant onset = moment();
    condition.setOnset(dateTime(onset));
    return condition.setRecordedDateElement(dateTime(onset.plusSeconds(random.nextInt(86_400))));
  }

  /**
   * A copy of an Encounter, Observation or Condition with one realistic change that always makes it
   * differ; the argument is not modified, id and meta are kept so the copy can be sent as an
   * update.
   *
   * @throws IllegalArgumentException for another type
   */
  public Resource mutate(Resource resource) {
    if (resource instanceof Encounter encounter) {
      return mutate(encounter.copy());
    }
    if (resource instanceof Observation observation) {
      return mutate(observation.copy());
    }
    if (resource instanceof Condition condition) {
      return mutate(condition.copy());
    }
    throw new IllegalArgumentException("no clinical changes for " + resource.fhirType());
  }

  private Encounter mutate(Encounter encounter) {
    Period period = encounter.getPeriod();
    Instant start = period.getStart().toInstant();
    Instant end = period.hasEnd() ? period.getEnd().toInstant() : start;
    // The encounter ends, or its recorded end is corrected: either way a later end.
    encounter.setStatus(Encounter.EncounterStatus.FINISHED);
    period.setEndElement(dateTime(end.plusSeconds(300 + random.nextInt(3600))));
    return encounter;
  }

  private Observation mutate(Observation observation) {
    if (observation.getStatus() == Observation.ObservationStatus.PRELIMINARY) {
      observation.setStatus(Observation.ObservationStatus.FINAL);
      return observation;
    }
    // A corrected result: a different value, status amended.
    Quantity quantity = observation.getValueQuantity();
    Measure measure =
        MEASURES.stream()
            .filter(m -> m.loinc().equals(observation.getCode().getCodingFirstRep().getCode()))
            .findFirst()
            .orElse(MEASURES.get(0));
    BigDecimal value = value(measure);
    if (value.compareTo(quantity.getValue()) == 0) {
      value = value.add(BigDecimal.ONE.movePointLeft(1));
    }
    observation.setStatus(Observation.ObservationStatus.AMENDED);
    return observation.setValue(quantity(measure, value));
  }

  private Condition mutate(Condition condition) {
    String status = condition.getClinicalStatus().getCodingFirstRep().getCode();
    if (!"resolved".equals(status)) { // active or recurrence: it resolves
      condition.setClinicalStatus(
          concept(CONDITION_CLINICAL, new Code("resolved", "Resolved")).setText(null));
      Instant onset = condition.getOnsetDateTimeType().getValue().toInstant();
      condition.setAbatement(dateTime(onset.plusSeconds(86_400L * (3 + random.nextInt(60)))));
    } else {
      condition.setClinicalStatus(
          concept(CONDITION_CLINICAL, new Code("recurrence", "Recurrence")).setText(null));
      condition.setAbatement(null);
    }
    if ("provisional".equals(condition.getVerificationStatus().getCodingFirstRep().getCode())) {
      condition.setVerificationStatus(
          concept(CONDITION_VERIFICATION, new Code("confirmed", "Confirmed")).setText(null));
    }
    return condition;
  }

  private BigDecimal value(Measure measure) {
    double raw = measure.low() + random.nextDouble() * (measure.high() - measure.low());
    return BigDecimal.valueOf(Math.round(raw * 10), 1);
  }

  private static Quantity quantity(Measure measure, BigDecimal value) {
    return new Quantity()
        .setValue(value)
        .setUnit(measure.unit())
        .setSystem(UCUM)
        .setCode(measure.unit());
  }

  private Instant moment() {
    return EARLIEST.plusSeconds((long) (random.nextDouble() * SPAN_SECONDS));
  }

  private static DateTimeType dateTime(Instant instant) {
    // From the ISO string, so the text does not depend on the JVM's time zone.
    return new DateTimeType(DATE_TIME.format(instant));
  }

  private static Reference patient(String patientId) {
    return new Reference("Patient/" + patientId);
  }

  private static CodeableConcept concept(String system, Code code) {
    CodeableConcept concept = new CodeableConcept().setText(code.display());
    concept.addCoding(new Coding(system, code.code(), code.display()));
    return concept;
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}

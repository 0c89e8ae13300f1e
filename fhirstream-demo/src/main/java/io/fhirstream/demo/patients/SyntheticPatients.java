package io.fhirstream.demo.patients;

import io.fhirstream.demo.patients.ValuePools.Place;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Random;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * Generates realistic, valid, entirely synthetic FHIR R4 Patients, reproducibly: the same seed and
 * the same sequence of calls give the same patients.
 *
 * <p>Each patient has an official name, gender, birth date, a home address (US), a phone, an email,
 * a medical record number ({@link #MRN_SYSTEM}, unique per generator), a marital status coded in
 * HL7 v3 MaritalStatus and {@code active}. {@link #mutate} produces the kind of update a
 * registration system sends: a move, a new phone or email, a change of marital status.
 *
 * <p>Not thread-safe: use one generator per thread. Cheap enough for benchmarks (well over 100,000
 * patients per second once built; building draws its value pools from Datafaker).
 */
public final class SyntheticPatients {
  /** The identifier system of the medical record numbers. */
  public static final String MRN_SYSTEM = "http://hospital.example.org/identifiers/mrn";

  /** HL7 v3 MaritalStatus code system. */
  public static final String MARITAL_STATUS_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";

  private static final String IDENTIFIER_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/v2-0203";
  private static final String[] EMAIL_DOMAINS = {"example.com", "example.net", "example.org"};
  private static final LocalDate OLDEST = LocalDate.of(1925, 1, 1);
  private static final LocalDate YOUNGEST = LocalDate.of(2024, 12, 31);

  private final Random random;
  private final ValuePools pools;
  private long mrnSequence;

  /** A generator whose output is determined by {@code seed}. */
  public SyntheticPatients(long seed) {
    this.random = new Random(seed);
    this.pools = new ValuePools(random, 400);
  }

  /** A new patient without id or meta. */
  public Patient next() {
    Patient patient = new Patient();
    patient.addIdentifier(mrn());
    patient.setActive(random.nextInt(100) < 96);
    AdministrativeGender gender = gender();
    patient.setGender(gender);
    HumanName name = patient.addName().setUse(HumanName.NameUse.OFFICIAL);
    name.setFamily(ValuePools.pick(random, pools.family));
    name.addGiven(given(gender));
    if (random.nextInt(3) == 0) {
      name.addGiven(given(gender));
    }
    LocalDate birthDate = birthDate();
    // From the ISO string, not a Date, so the day does not depend on the JVM's time zone.
    patient.setBirthDateElement(new DateType(birthDate.toString()));
    patient.addTelecom(phone());
    patient.addTelecom(email(name));
    patient.addAddress(address());
    patient.setMaritalStatus(maritalStatus(initialMaritalStatus(birthDate)));
    return patient;
  }

  /**
   * A copy of the patient with one realistic change; the argument is not modified, and id and meta
   * are kept so the copy can be sent as an update.
   */
  public Patient mutate(Patient patient) {
    Patient changed = patient.copy();
    // A redrawn phone or address can, rarely, equal the old one; a marital status change never
    // does.
    for (int attempt = 0; attempt < 4 && changed.equalsDeep(patient); attempt++) {
      changeOneThing(changed);
    }
    if (changed.equalsDeep(patient)) {
      changed.setMaritalStatus(maritalStatus(nextMaritalStatus(changed)));
    }
    return changed;
  }

  private void changeOneThing(Patient patient) {
    switch (random.nextInt(4)) {
      case 0:
        patient.getAddress().clear();
        patient.addAddress(address());
        break;
      case 1:
        patient.getTelecom().removeIf(t -> t.getSystem() == ContactPointSystem.PHONE);
        patient.addTelecom(phone());
        break;
      case 2:
        patient.getTelecom().removeIf(t -> t.getSystem() == ContactPointSystem.EMAIL);
        patient.addTelecom(email(patient.getNameFirstRep()));
        break;
      default:
        patient.setMaritalStatus(maritalStatus(nextMaritalStatus(patient)));
    }
  }

  private Identifier mrn() {
    Identifier mrn = new Identifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(MRN_SYSTEM);
    mrn.getType()
        .addCoding()
        .setSystem(IDENTIFIER_TYPE_SYSTEM)
        .setCode("MR")
        .setDisplay("Medical record number");
    // A bijection on 0..10^9-1 (odd multiplier coprime to 10^9): unique, yet not
    // sequential-looking.
    long scrambled = Math.floorMod(++mrnSequence * 387_420_489L + 104_729L, 1_000_000_000L);
    return mrn.setValue("M" + zeroPadded(scrambled, 9));
  }

  private AdministrativeGender gender() {
    int roll = random.nextInt(200);
    if (roll < 98) {
      return AdministrativeGender.FEMALE;
    }
    if (roll < 196) {
      return AdministrativeGender.MALE;
    }
    return roll < 199 ? AdministrativeGender.OTHER : AdministrativeGender.UNKNOWN;
  }

  private String given(AdministrativeGender gender) {
    boolean female =
        gender == AdministrativeGender.FEMALE
            || (gender != AdministrativeGender.MALE && random.nextBoolean());
    return ValuePools.pick(random, female ? pools.femaleGiven : pools.maleGiven);
  }

  private LocalDate birthDate() {
    long span = YOUNGEST.toEpochDay() - OLDEST.toEpochDay();
    return LocalDate.ofEpochDay(OLDEST.toEpochDay() + (long) (random.nextDouble() * span));
  }

  private ContactPoint phone() {
    // 555-01xx numbers are reserved for fiction; a realistic area code makes the rest look real.
    String number =
        "(" + (201 + random.nextInt(788)) + ") 555-01" + zeroPadded(random.nextInt(100), 2);
    ContactPointUse use = random.nextBoolean() ? ContactPointUse.MOBILE : ContactPointUse.HOME;
    return new ContactPoint().setSystem(ContactPointSystem.PHONE).setUse(use).setValue(number);
  }

  private ContactPoint email(HumanName name) {
    String local =
        letters(name.getGiven().isEmpty() ? null : name.getGiven().get(0).getValue())
            + "."
            + letters(name.getFamily());
    if (random.nextBoolean()) {
      local += random.nextInt(100);
    }
    String domain = EMAIL_DOMAINS[random.nextInt(EMAIL_DOMAINS.length)];
    return new ContactPoint()
        .setSystem(ContactPointSystem.EMAIL)
        .setUse(ContactPointUse.HOME)
        .setValue(local + "@" + domain);
  }

  private static String letters(String text) {
    StringBuilder only = new StringBuilder();
    String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (c >= 'a' && c <= 'z') {
        only.append(c);
      }
    }
    return only.length() == 0 ? "patient" : only.toString();
  }

  private static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }

  private Address address() {
    Place place = ValuePools.pick(random, pools.places);
    Address address =
        new Address().setUse(Address.AddressUse.HOME).setType(Address.AddressType.BOTH);
    address.addLine(ValuePools.pick(random, pools.streets));
    if (random.nextInt(5) == 0) {
      address.addLine(ValuePools.pick(random, pools.secondaryLines));
    }
    return address
        .setCity(place.city())
        .setState(place.state())
        .setPostalCode(place.postalCode())
        .setCountry("US");
  }

  private String initialMaritalStatus(LocalDate birthDate) {
    if (birthDate.isAfter(YOUNGEST.minusYears(18))) {
      return "S";
    }
    int roll = random.nextInt(100);
    return roll < 35 ? "S" : roll < 80 ? "M" : roll < 92 ? "D" : roll < 97 ? "W" : "L";
  }

  /** A plausible next status: people marry, divorce, separate or are widowed, not at random. */
  private String nextMaritalStatus(Patient patient) {
    String current = patient.getMaritalStatus().getCodingFirstRep().getCode();
    if ("M".equals(current)) {
      int roll = random.nextInt(10);
      return roll < 6 ? "D" : roll < 8 ? "L" : "W";
    }
    if ("L".equals(current)) {
      return "D";
    }
    return "M";
  }

  private static CodeableConcept maritalStatus(String code) {
    String display;
    switch (code) {
      case "M":
        display = "Married";
        break;
      case "D":
        display = "Divorced";
        break;
      case "W":
        display = "Widowed";
        break;
      case "L":
        display = "Legally Separated";
        break;
      default:
        display = "Never Married";
    }
    CodeableConcept status = new CodeableConcept().setText(display);
    status.addCoding().setSystem(MARITAL_STATUS_SYSTEM).setCode(code).setDisplay(display);
    return status;
  }
}

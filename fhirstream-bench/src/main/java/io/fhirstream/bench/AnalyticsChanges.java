package io.fhirstream.bench;

import io.fhirstream.api.ChangeEvent;
import io.fhirstream.kafka.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Patient and Observation changes as the source publishes them (the hub's record format through
 * {@link EventCodec}), made from templates so that producing them costs next to nothing: creates,
 * then a mix of updates that move patients between groups and correct observation values, and
 * deletions. What the built-in views and aggregates read varies: gender, birth date, city and
 * state; LOINC code (heart rate, body weight and three others), effective time, value.
 */
final class AnalyticsChanges {
  private static final String[] GENDERS = {"female", "male", "other", "unknown"};
  private static final String[][] PLACES = {
    {"Boston", "MA"}, {"Worcester", "MA"}, {"Springfield", "MA"}, {"Cambridge", "MA"},
    {"Providence", "RI"}, {"Hartford", "CT"}, {"Portland", "ME"}, {"Burlington", "VT"},
    {"Manchester", "NH"}, {"Albany", "NY"}
  };
  private static final String[][] CODES = {
    {"8867-4", "/min", "55", "45"},
    {"29463-7", "kg", "45", "75"},
    {"8310-5", "Cel", "36", "2"},
    {"8480-6", "mm[Hg]", "100", "50"},
    {"2339-0", "mg/dL", "70", "60"}
  };

  private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

  private final EventCodec codec;
  private final Random random;
  private final int patients;
  private final int[] patientVersions;
  private final List<int[]> observations = new ArrayList<>();

  /** Observations made from now on are effective at their write time (else in 2024-2025). */
  private boolean live;

  AnalyticsChanges(EventCodec codec, int patients, long seed) {
    this.codec = codec;
    this.patients = patients;
    this.patientVersions = new int[patients];
    this.random = new Random(seed);
  }

  /** Every patient created, then {@code perPatient} observations each, as records. */
  List<ProducerRecord<String, byte[]>> creates(int perPatient, Instant at) {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    for (int p = 0; p < patients; p++) {
      out.add(patient(p, at));
    }
    for (int p = 0; p < patients; p++) {
      for (int o = 0; o < perPatient; o++) {
        out.add(newObservation(p, at));
      }
    }
    return out;
  }

  /**
   * One random change: 30% a patient's update (half of them moving city or gender), 40% a new
   * observation, 25% an observation's value corrected, 5% an observation deleted.
   */
  ProducerRecord<String, byte[]> next(Instant at) {
    return next(at, false);
  }

  /**
   * @param liveObservation whether a new observation is effective when written (a live feed), or in
   *     2024-2025 (history)
   */
  ProducerRecord<String, byte[]> next(Instant at, boolean liveObservation) {
    live = liveObservation;
    int dice = random.nextInt(100);
    if (dice < 30 || observations.isEmpty()) {
      return patient(random.nextInt(patients), at);
    }
    if (dice < 70) {
      return newObservation(random.nextInt(patients), at);
    }
    int index = random.nextInt(observations.size());
    int[] observation = observations.get(index);
    observation[1]++;
    if (dice < 95) {
      return observation(index, observation, at);
    }
    return codec.encode(
        ChangeEvent.delete("Observation", "o" + index, Integer.toString(observation[1]), at));
  }

  private ProducerRecord<String, byte[]> patient(int p, Instant at) {
    int version = ++patientVersions[p];
    String[] place = PLACES[random.nextInt(PLACES.length)];
    String json =
        "{\"resourceType\":\"Patient\",\"id\":\"p"
            + p
            + "\",\"meta\":{\"versionId\":\""
            + version
            + "\",\"lastUpdated\":\""
            + at
            + "\"},\"name\":[{\"family\":\"Bench\",\"given\":[\"P"
            + p
            + "\"]}],\"gender\":\""
            + GENDERS[random.nextInt(GENDERS.length)]
            + "\",\"birthDate\":\""
            + (1930 + random.nextInt(90))
            + "-0"
            + (1 + random.nextInt(9))
            + "-1"
            + random.nextInt(10)
            + "\",\"address\":[{\"use\":\"home\",\"line\":[\"1 Main St\"],\"city\":\""
            + place[0]
            + "\",\"state\":\""
            + place[1]
            + "\",\"postalCode\":\"0"
            + (1000 + random.nextInt(8999))
            + "\"}]}";
    return upsert("Patient", "p" + p, version, at, json);
  }

  private ProducerRecord<String, byte[]> newObservation(int patient, Instant at) {
    int hours =
        live
            ? (int) ((at.getEpochSecond() - EPOCH.getEpochSecond()) / 3600)
            : random.nextInt(2 * 365 * 24);
    int[] observation = {patient, 1, random.nextInt(CODES.length), hours};
    observations.add(observation);
    return observation(observations.size() - 1, observation, at);
  }

  private ProducerRecord<String, byte[]> observation(int index, int[] o, Instant at) {
    String[] code = CODES[o[2]];
    Instant effective = EPOCH.plusSeconds(o[3] * 3600L + 600);
    double value =
        Double.parseDouble(code[2]) + random.nextInt(Integer.parseInt(code[3]) * 10) / 10.0;
    String json =
        "{\"resourceType\":\"Observation\",\"id\":\"o"
            + index
            + "\",\"meta\":{\"versionId\":\""
            + o[1]
            + "\",\"lastUpdated\":\""
            + at
            + "\"},\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
            + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":"
            + "\"vital-signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\""
            + code[0]
            + "\"}]},\"subject\":{\"reference\":\"Patient/p"
            + o[0]
            + "\"},\"effectiveDateTime\":\""
            + effective
            + "\",\"valueQuantity\":{\"value\":"
            + value
            + ",\"unit\":\""
            + code[1]
            + "\",\"system\":\"http://unitsofmeasure.org\",\"code\":\""
            + code[1]
            + "\"}}";
    return upsert("Observation", "o" + index, o[1], at, json);
  }

  private ProducerRecord<String, byte[]> upsert(
      String type, String id, int version, Instant at, String json) {
    return codec.encode(
        ChangeEvent.upsert(
            type, id, Integer.toString(version), at, json.getBytes(StandardCharsets.UTF_8)));
  }
}
